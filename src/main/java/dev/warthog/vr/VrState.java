package dev.warthog.vr;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;

/**
 * The mutable state of one SAG / SAGA / IAG run, with the per-sample updates as methods so
 * that other solvers (an asynchronous ASAGA with one thread) can run exactly the same
 * arithmetic. Thread-confined.
 *
 * <p><b>Gradient memory</b>: one scalar per sample, {@code alpha_i = loss'(x_i.w_stored, y_i)}
 * (the derivative at the margin the sample was last seen with), and the d-vector
 * {@code gbar = (1/n) sum_i alpha_i x_i}, kept up to date incrementally. The L2 part of the
 * gradient is never stored: every step takes {@code l2 w} at the current iterate.
 *
 * <p><b>Updates</b> (eta the step, a = 1 - eta l2, delta = g_new - alpha_i,
 * g_new = loss'(x_i.w, y_i), soft(u, t) = sign(u) max(|u| - t, 0)):
 * <pre>
 *   SAGA: w <- soft(a w - eta (delta x_i + gbar), eta l1);  then gbar += delta x_i / n
 *   SAG : gbar += delta x_i / n;  then w <- soft(a w - eta gbar, eta l1)
 * </pre>
 * and {@code alpha_i = g_new}. (IAG is the SAG update in cyclic order.)
 *
 * <p><b>Dense rows</b>: the plain O(d) update above, on w itself.
 *
 * <p><b>Sparse rows: just-in-time (lagged) updates</b>, O(nnz(x_i)) per step. The iterate is
 * stored as w = s v. One step multiplies s by a and, for every coordinate, does
 * {@code v_j <- soft(v_j - D (gbar_j [+ delta x_ij]), l1 D)} with the unit
 * {@code D = eta / s_new} (the naive step rewritten for v = w / s). A coordinate outside the
 * row's support sees only {@code v_j <- soft(v_j - D gbar_j, l1 D)} with gbar_j constant (gbar_j
 * only changes on steps whose row contains j, and those bring j up to date first), so its
 * missed steps are summarised by the running sum {@code C = sum D} over the steps of the
 * current segment and the value {@code lastC_j} of C when j was last brought up to date.
 * With dC = C - lastC_j:
 * <ul>
 *   <li>l1 = 0: {@code v_j -= gbar_j dC} (exact: the k missed affine steps
 *       w <- a w - eta gbar_j, whose closed form is a^k w - gbar_j (1 - a^k)/l2, are
 *       v <- v - gbar_j D_t in v = w / s).</li>
 *   <li>l1 > 0: the missed steps are v <- soft(v - gbar_j D_t, l1 D_t), whose shift and
 *       threshold are in the fixed ratio gbar_j : l1. Then {@code soft(v_j - gbar_j dC, l1 dC)}
 *       equals the step-by-step result unless v_j crosses zero on the way and leaves the
 *       other side (v_j > 0 and gbar_j > l1, or v_j < 0 and gbar_j < -l1, with the summed
 *       value past zero). In that case the step q at which it crosses is found by binary
 *       search over the stored prefix sums C_0 .. C_k of the segment (the first q with
 *       v_j - (gbar_j + l1 sign v_j)(C_{q+1} - lastC_j) on the other side of 0), that one step is
 *       taken exactly (landing at 0 or beyond it), and the rest is the summed formula on the
 *       other side: O(log n) instead of the O(lag) step-by-step loop.</li>
 * </ul>
 * This is the same mathematics as the naive O(d) update, equal to it up to rounding. A
 * segment ends (every coordinate brought up to date, s folded into v, C reset to 0) at
 * {@link #sync()} (the solver calls it at every epoch end and before any evaluation), when
 * it has n steps (so the prefix sums fit an array of n + 1), and when s falls below
 * {@link #MIN_SCALE}.
 */
public final class VrState {
    /** When the scale falls below this, every coordinate is brought up to date and s is folded into v. */
    public static final double MIN_SCALE = 1e-9;

    /** Which update {@link #step} runs. */
    public enum Update { SAGA, SAG }

    private final Update update;
    private final Loss loss;
    private final int n;
    private final int d;
    private final double eta, l2, l1, a, invN;
    private final double[] alpha;   // per-sample derivative memory
    private final double[] gbar;    // (1/n) sum alpha_i x_i
    private final double[] v;       // w = s v (sparse); w itself (dense, s stays 1)
    private final double[] lastC;   // sparse: C when coordinate j was last brought up to date
    private final double[] cum;     // sparse with l1 > 0: prefix sums C_0..C_k of the segment
    private final int segmentCap;
    private double s = 1;
    private double c;               // C_k: sum of the units D over the segment's k steps
    private int k;                  // steps in the current segment
    private long steps;
    private long rescales;

    /**
     * A state at w = 0 with a zero memory (alpha = 0, gbar = 0); call {@link #initMemory} to
     * start from the gradients at w = 0 instead.
     *
     * @param eta the step, with 0 < eta l2 < 1 (the shrink a = 1 - eta l2 must be positive)
     */
    public VrState(Problem p, Update update, double eta) {
        dev.warthog.solver.Steps.shrinkable(eta, p, "VrState");
        this.update = java.util.Objects.requireNonNull(update);
        this.loss = p.loss();
        this.n = p.rows();
        this.d = p.dim();
        this.eta = eta;
        this.l2 = p.l2();
        this.l1 = p.l1();
        this.a = 1 - eta * l2;
        this.invN = 1.0 / n;
        this.alpha = new double[n];
        this.gbar = new double[d];
        this.v = new double[d];
        boolean sparse = p.data().isSparse();
        this.lastC = sparse ? new double[d] : null;
        this.segmentCap = Math.max(1, n);
        this.cum = sparse && l1 > 0 ? new double[segmentCap + 1] : null;
    }

    public Update update() { return update; }
    public double step() { return eta; }

    /**
     * Sets the memory to the derivatives at w = 0: alpha_i = loss'(0, y_i) and
     * gbar = (1/n) sum_i alpha_i x_i (one O(nnz) pass; call before the first step).
     */
    public void initMemory(Dataset data) {
        Row r = new Row();
        java.util.Arrays.fill(gbar, 0);
        for (int i = 0; i < n; i++) {
            data.row(i, r);
            double g = loss.derivative(0, r.label);
            alpha[i] = g;
            if (g != 0) Kernels.axpy(g * invN, r, gbar);
        }
    }

    /** One step on row r with the configured update ({@link #stepSaga} or {@link #stepSag}). */
    public void step(Row r) {
        if (update == Update.SAGA) stepSaga(r); else stepSag(r);
    }

    /** One SAGA step on row r (see the class comment). Returns g_new. */
    public double stepSaga(Row r) {
        return r.indices == null ? denseStep(r, true) : sparseStep(r, true);
    }

    /** One SAG / IAG step on row r (see the class comment). Returns g_new. */
    public double stepSag(Row r) {
        return r.indices == null ? denseStep(r, false) : sparseStep(r, false);
    }

    // ------------------------------------------------------------------ dense: plain O(d)

    private double denseStep(Row r, boolean saga) {
        final double[] x = r.values, w = v, gb = gbar;
        final int off = r.offset, len = r.nnz;
        double m = Kernels.dot(r, w);
        double g = loss.derivative(m, r.label);
        double delta = g - alpha[r.index];
        alpha[r.index] = g;
        double dn = delta * invN, t = eta * l1;
        if (saga) {
            for (int j = 0; j < len; j++) {
                double xj = x[off + j];
                double u = a * w[j] - eta * (gb[j] + delta * xj);
                w[j] = l1 > 0 ? soft(u, t) : u;
                gb[j] += dn * xj;
            }
        } else {
            for (int j = 0; j < len; j++) {
                double gj = gb[j] + dn * x[off + j];
                gb[j] = gj;
                double u = a * w[j] - eta * gj;
                w[j] = l1 > 0 ? soft(u, t) : u;
            }
        }
        steps++;
        return g;
    }

    // ------------------------------------------------------------------ sparse: lagged updates

    private double sparseStep(Row r, boolean saga) {
        if (k == segmentCap) sync();
        final double[] x = r.values, vv = v, gb = gbar, lc = lastC;
        final int[] idx = r.indices;
        final int off = r.offset, end = r.offset + r.nnz;
        final double cNow = c;
        // 1. bring the support up to date with the missed steps, and take the margin
        double dot = 0;
        for (int p = off; p < end; p++) {
            int j = idx[p];
            double vj = vv[j];
            double last = lc[j];
            if (last != cNow) {
                vj = l1 > 0 ? lazyProx(vj, gb[j], last) : vj - gb[j] * (cNow - last);
                vv[j] = vj;
                lc[j] = cNow;
            }
            dot += x[p] * vj;
        }
        double g = loss.derivative(s * dot, r.label);
        double delta = g - alpha[r.index];
        alpha[r.index] = g;
        // 2. this step's shrink and unit
        double sNew = s * a;
        double unit = eta / sNew;
        double cNew = cNow + unit;
        double dn = delta * invN, t = l1 * unit;
        // 3. this step on the support
        if (saga) {
            for (int p = off; p < end; p++) {
                int j = idx[p];
                double xj = x[p];
                double u = vv[j] - unit * (gb[j] + delta * xj);
                vv[j] = l1 > 0 ? soft(u, t) : u;
                lc[j] = cNew;
                gb[j] += dn * xj;
            }
        } else {
            for (int p = off; p < end; p++) {
                int j = idx[p];
                double gj = gb[j] + dn * x[p];
                gb[j] = gj;
                double u = vv[j] - unit * gj;
                vv[j] = l1 > 0 ? soft(u, t) : u;
                lc[j] = cNew;
            }
        }
        s = sNew;
        c = cNew;
        k++;
        if (cum != null) cum[k] = cNew;
        steps++;
        if (s < MIN_SCALE) { sync(); rescales++; }
        return g;
    }

    private double lazyProx(double vj, double gb, double last) {
        return lazyProx(vj, gb, last, c, l1, cum, k);
    }

    /**
     * v after the missed steps {@code v <- soft(v - gb D_t, l1 D_t)}, t = q0 .. k-1, where
     * {@code cum[q0] = last} and {@code cum[k] = c} are the prefix sums C of the units D_t
     * (see the class comment). O(1), or O(log k) when v crosses zero and goes beyond it.
     */
    static double lazyProx(double vj, double gb, double last, double c, double l1, double[] cum, int k) {
        double dC = c - last;
        if (vj == 0) return soft(-gb * dC, l1 * dC);
        // work on the positive side: flip the sign of v and gb together
        double sg = vj > 0 ? 1 : -1;
        double x = sg * vj, g = sg * gb;
        double down = g + l1;                 // decrease per unit while x > 0
        if (down <= 0) return sg * (x - down * dC);      // never decreases: stays positive
        double pos = x - down * dC;
        if (pos > 0) return sg * pos;                    // stays positive throughout
        if (g <= l1) return 0.0;                         // reaches 0 and stays there
        // crosses zero and goes beyond: find the first step q with x - down (C_{q+1} - last) <= 0
        int lo = 1, hi = k;                              // cum[hi] = c satisfies it
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x - down * (cum[mid] - last) <= 0) hi = mid; else lo = mid + 1;
        }
        int q = lo - 1;
        double xq = x - down * (cum[q] - last);          // > 0: value before step q
        double dq = cum[q + 1] - cum[q];
        double u = xq - g * dq;                          // <= l1 dq
        double after = u < -l1 * dq ? u + l1 * dq : 0.0; // value after step q, <= 0
        double rest = c - cum[q + 1];
        return sg * (after - (g - l1) * rest);           // then decreases by g - l1 per unit
    }

    /**
     * Brings every coordinate up to date, folds s into v (s = 1) and starts a new segment
     * (C = 0). O(d); a no-op for dense data.
     */
    public void sync() {
        if (lastC == null) return;
        final double[] vv = v, gb = gbar, lc = lastC;
        final double cNow = c, sc = s;
        for (int j = 0; j < d; j++) {
            double vj = vv[j];
            double last = lc[j];
            if (last != cNow) vj = l1 > 0 ? lazyProx(vj, gb[j], last) : vj - gb[j] * (cNow - last);
            vv[j] = sc * vj;
            lc[j] = 0;
        }
        s = 1;
        c = 0;
        k = 0;
        if (cum != null) cum[0] = 0;
    }

    /** Writes w into {@code out}; call {@link #sync()} first (otherwise sparse data gives stale values). */
    public void weights(double[] out) {
        for (int j = 0; j < d; j++) out[j] = s * v[j];
    }

    /** The derivative memory alpha_i (not a copy: do not modify). */
    public double[] memory() { return alpha; }
    /** The average gradient gbar = (1/n) sum alpha_i x_i (not a copy: do not modify). */
    public double[] averageGradient() { return gbar; }
    /** Steps taken. */
    public long steps() { return steps; }
    /** How often s fell below {@link #MIN_SCALE} mid-segment. */
    public long rescales() { return rescales; }
    /** False once the iterate has overflowed or become NaN (a step too large). */
    public boolean finite() {
        if (!Double.isFinite(s)) return false;
        for (double x : v) if (!Double.isFinite(x)) return false;
        return true;
    }

    static double soft(double u, double t) {
        return u > t ? u - t : (u < -t ? u + t : 0.0);
    }
}
