package dev.warthog.wpsgd;

import dev.warthog.data.Row;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;

import java.util.Arrays;

/**
 * One worker's model, updated by seed 001's SGD step (eq. (5) with c^i of eq. (4)):
 * <pre>
 *   w_n = w_{n-1} - eta (lambda w_{n-1} + L'(x.w_{n-1}, y) x) = (1 - lambda eta) w_{n-1} - eta L' x
 * </pre>
 * so that (1 - lambda eta) is exactly the contraction that WP-SGD's weights (eq. (6)) undo.
 * Stored as w = s v (the scale trick of {@code Sgd.State}): the shrink is {@code s *= 1 -
 * lambda eta}, O(1), the loss step {@code v -= (eta L' / s) x}, O(nnz(x)); when s falls
 * below {@link #MIN_SCALE} it is folded into v. Confined to the thread that runs its worker
 * (the team's barriers order the caller's reads between regions).
 */
final class Replica {
    static final double MIN_SCALE = 1e-9;
    private final Loss loss;
    private final double l2;
    final double[] v;
    double s = 1;

    /** w = initial everywhere. */
    Replica(Problem p, double initial) {
        this.loss = p.loss();
        this.l2 = p.l2();
        this.v = new double[p.dim()];
        if (initial != 0) Arrays.fill(v, initial);
    }

    /** One SGD step on row r. */
    void step(Row r, double eta) {
        double m = s * Kernels.dot(r, v);
        double d = loss.derivative(m, r.label);
        if (l2 != 0) {
            s *= 1 - eta * l2;
            if (s < MIN_SCALE) {
                for (int j = 0; j < v.length; j++) v[j] *= s;
                s = 1;
            }
        }
        if (d != 0) Kernels.axpy(-eta * d / s, r, v);
    }

    /** Replaces w by {@code w} (a broadcast average). */
    void set(double[] w) {
        System.arraycopy(w, 0, v, 0, v.length);
        s = 1;
    }

    /** w = s v into out. */
    void weights(double[] out) {
        for (int j = 0; j < v.length; j++) out[j] = s * v[j];
    }
}
