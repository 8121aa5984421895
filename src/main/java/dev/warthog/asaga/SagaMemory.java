package dev.warthog.asaga;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Loss;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The gradient memory that the asynchronous SAGA-type workers share: one scalar per sample,
 * {@code alpha_i = loss'(x_i.w_read, y_i)} (the derivative at the margin that sample was last
 * seen with), and the average gradient {@code gbar = (1/n) sum_i alpha_i x_i} (its loss part:
 * the L2 part is always taken at the current iterate).
 *
 * <p><b>Concurrency.</b> Both arrays are accessed only through {@link VarHandle}s:
 * <ul>
 *   <li>{@link #exchange}: an atomic {@code getAndSet} of alpha_i. Two workers that draw the
 *       same sample i at once are serialised by it: each gets the value the other one left
 *       (or the earlier one), so every written derivative is removed from gbar exactly once
 *       (the deltas a_new - a_old of all exchanges on alpha_i telescope to
 *       alpha_i(final) - alpha_i(initial)), and no read of alpha_i is ever torn.</li>
 *   <li>{@link #addToAverage}: {@code gbar_j += v} as a CAS loop on the value's bits: an
 *       add is never lost, so at the end of a run
 *       {@code gbar = (1/n) sum_i alpha_i x_i} holds up to rounding whatever the races.</li>
 *   <li>{@link #averageOpaque}: an opaque read of gbar_j (never torn; may be stale).</li>
 * </ul>
 * The plain accessors ({@link #memory()}, {@link #average()}) are for single-threaded phases
 * only: initialisation, and after the workers have been joined.
 */
public final class SagaMemory {
    private static final VarHandle DA = MethodHandles.arrayElementVarHandle(double[].class);

    private final double[] alpha;
    private final double[] gbar;
    private final double invN;

    /** A zero memory for n samples and d features (alpha = 0, gbar = 0). */
    public SagaMemory(int n, int d) {
        if (n < 1) throw new IllegalArgumentException("need at least one sample");
        this.alpha = new double[n];
        this.gbar = new double[d];
        this.invN = 1.0 / n;
    }

    /**
     * The memory at w = 0, as {@link dev.warthog.vr.VrState#initMemory} sets it, with the same
     * arithmetic: alpha_i = loss'(0, y_i), gbar = sum_i (alpha_i / n) x_i accumulated in row
     * order. Single-threaded; one O(nnz) pass.
     */
    public static SagaMemory atZero(Dataset data, Loss loss) {
        SagaMemory m = new SagaMemory(data.rows(), data.cols());
        Row r = new Row();
        for (int i = 0, n = data.rows(); i < n; i++) {
            data.row(i, r);
            double g = loss.derivative(0, r.label);
            m.alpha[i] = g;
            if (g != 0) Kernels.axpy(g * m.invN, r, m.gbar);
        }
        return m;
    }

    public int samples() { return alpha.length; }
    public int dim() { return gbar.length; }
    /** 1/n. */
    public double invN() { return invN; }

    /** Atomically sets alpha_i to {@code a} and returns the value it replaced. */
    public double exchange(int i, double a) { return (double) DA.getAndSet(alpha, i, a); }

    /** alpha_i read opaquely. */
    public double memoryOpaque(int i) { return (double) DA.getOpaque(alpha, i); }

    /** gbar_j read opaquely. */
    public double averageOpaque(int j) { return (double) DA.getOpaque(gbar, j); }

    /**
     * gbar_j += v as a CAS loop (compareAndExchange on the value's bits, so -0.0 and NaN do
     * not spin); never loses an add. Returns the value this add produced, old + v.
     */
    public double addToAverage(int j, double v) {
        double old = (double) DA.getOpaque(gbar, j);
        while (true) {
            double nv = old + v;
            double witness = (double) DA.compareAndExchange(gbar, j, old, nv);
            if (Double.doubleToRawLongBits(witness) == Double.doubleToRawLongBits(old)) return nv;
            old = witness;
        }
    }

    /** The alpha array itself: single-threaded phases only; do not modify. */
    public double[] memory() { return alpha; }

    /** The gbar array itself: single-threaded phases only; do not modify. */
    public double[] average() { return gbar; }
}
