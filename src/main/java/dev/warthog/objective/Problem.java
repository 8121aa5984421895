package dev.warthog.objective;

import dev.warthog.data.Dataset;
import dev.warthog.data.Labels;
import dev.warthog.data.Row;
import dev.warthog.kernel.Kernels;

/**
 * The regularised empirical risk
 * <pre>F(w) = (1/n) sum_i loss(y_i, x_i.w) + (l2/2) ||w||^2 + l1 ||w||_1</pre>
 * (seed 000 eq. (1.1) with R(w) = (l2/2)||w||^2 + l1||w||_1), over a dataset whose labels
 * have been mapped to -1/+1 when the loss is a classification loss. Immutable; the
 * evaluation methods allocate nothing per row and may be called from several threads.
 */
public final class Problem {
    private final Dataset data;
    private final Loss loss;
    private final double l2;
    private final double l1;
    private volatile double maxRowNormSq = -1;

    private Problem(Dataset data, Loss loss, double l2, double l1) {
        this.data = data;
        this.loss = loss;
        this.l2 = l2;
        this.l1 = l1;
    }

    /**
     * A problem over {@code data}. For classification losses the labels must take exactly
     * two values (the larger becomes +1); regression uses them as they are.
     */
    public static Problem of(Dataset data, Loss loss, double l2, double l1) {
        if (!(l2 >= 0) || Double.isInfinite(l2)) throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
        if (!(l1 >= 0) || Double.isInfinite(l1)) throw new IllegalArgumentException("l1 must be finite and >= 0, got " + l1);
        if (data.rows() == 0) throw new IllegalArgumentException(data.source() + ": no rows");
        return new Problem(loss.isClassification() ? Labels.toBinary(data) : data, loss, l2, l1);
    }

    public Dataset data() { return data; }
    public Loss loss() { return loss; }
    public double l2() { return l2; }
    public double l1() { return l1; }
    public int rows() { return data.rows(); }
    public int dim() { return data.cols(); }

    /** F(w) on the training data. */
    public double value(double[] w) {
        return lossSum(data, w) / data.rows() + penalty(w);
    }

    /** (l2/2)||w||^2 + l1||w||_1. */
    public double penalty(double[] w) {
        double sq = 0, abs = 0;
        for (double v : w) { sq += v * v; abs += Math.abs(v); }
        return 0.5 * l2 * sq + l1 * abs;
    }

    /** sum_i loss(y_i, x_i.w) over all rows of {@code d} (labels as stored in d). */
    public double lossSum(Dataset d, double[] w) {
        Row r = new Row();
        double s = 0;
        for (int i = 0, n = d.rows(); i < n; i++) {
            d.row(i, r);
            s += loss.value(Kernels.dot(r, w), r.label);
        }
        return s;
    }

    /**
     * Gradient of the smooth part f(w) = (1/n) sum loss + (l2/2)||w||^2 into {@code g}
     * (overwritten), fused in one sweep per row (margin, derivative, accumulate); returns
     * f(w) + l1||w||_1 = F(w). The l1 term, being non-smooth, is left to the solver's prox.
     */
    public double gradient(double[] w, double[] g) {
        java.util.Arrays.fill(g, 0.0);
        Row r = new Row();
        int n = data.rows();
        double s = 0;
        for (int i = 0; i < n; i++) {
            data.row(i, r);
            double m = Kernels.dot(r, w);
            s += loss.value(m, r.label);
            double dl = loss.derivative(m, r.label);
            if (dl != 0) Kernels.axpy(dl, r, g);
        }
        double inv = 1.0 / n;
        double sq = 0, abs = 0;
        for (int j = 0; j < g.length; j++) {
            g[j] = g[j] * inv + l2 * w[j];
            sq += w[j] * w[j];
            abs += Math.abs(w[j]);
        }
        return s * inv + 0.5 * l2 * sq + l1 * abs;
    }

    /** max_i ||x_i||^2, computed once. */
    public double maxRowNormSq() {
        double m = maxRowNormSq;
        if (m < 0) {
            Row r = new Row();
            m = 0;
            for (int i = 0; i < data.rows(); i++) m = Math.max(m, data.row(i, r).squaredNorm());
            maxRowNormSq = m;
        }
        return m;
    }

    /**
     * L_max = smoothness(loss) * max_i ||x_i||^2 + l2: the smoothness of every per-sample
     * objective f_i, the constant incremental methods take their step from.
     */
    public double sampleSmoothness() {
        return loss.smoothness() * maxRowNormSq() + l2;
    }

    /**
     * An upper bound on the smoothness of f: smoothness(loss) * lambda_max(X^T X / n) + l2,
     * with lambda_max estimated by a few power iterations and inflated by 2% (the power
     * method approaches from below), capped by the trace bound mean ||x_i||^2.
     */
    public double smoothness() {
        double traceBound = 0;
        Row r = new Row();
        for (int i = 0; i < data.rows(); i++) traceBound += data.row(i, r).squaredNorm();
        traceBound /= data.rows();
        int d = dim();
        double[] v = new double[d], u = new double[d];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
        for (int j = 0; j < d; j++) v[j] = rnd.nextDouble() + 0.5;
        normalize(v);
        double lambda = 0;
        for (int it = 0; it < 30; it++) {
            java.util.Arrays.fill(u, 0);
            for (int i = 0; i < data.rows(); i++) {
                data.row(i, r);
                Kernels.axpy(Kernels.dot(r, v), r, u);
            }
            double norm = 0;
            for (double x : u) norm += x * x;
            norm = Math.sqrt(norm) / data.rows();
            if (norm == 0) break;
            double prev = lambda;
            lambda = norm;
            System.arraycopy(u, 0, v, 0, d);
            normalize(v);
            if (Math.abs(lambda - prev) <= 1e-4 * lambda) break;
        }
        double lmax = Math.min(traceBound, lambda * 1.02);
        if (lmax == 0) lmax = traceBound;
        return loss.smoothness() * lmax + l2;
    }

    private static void normalize(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        s = Math.sqrt(s);
        if (s > 0) for (int j = 0; j < v.length; j++) v[j] /= s;
    }

    /** Soft-thresholding, the prox of t*|.|: sign(v) max(|v| - t, 0). */
    public static double proxL1(double v, double t) {
        return v > t ? v - t : (v < -t ? v + t : 0.0);
    }

    @Override public String toString() {
        return loss.cliName() + " loss, l2=" + l2 + ", l1=" + l1 + " on " + data;
    }
}
