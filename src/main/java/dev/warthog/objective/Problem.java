package dev.warthog.objective;

import dev.warthog.data.Dataset;
import dev.warthog.data.Labels;
import dev.warthog.data.Row;
import dev.warthog.kernel.Kernels;
import dev.warthog.kernel.ScalarKernels;
import dev.warthog.kernel.VectorKernels;

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
     *
     * <p>The sum over rows is the blocked deterministic one of {@link Blocks} with
     * {@link #defaultBlocks()} blocks: the same bits as {@code sync.ParallelGradient} at any
     * thread count.
     */
    public double gradient(double[] w, double[] g) {
        return gradient(w, g, defaultBlocks());
    }

    /** The default block count of the deterministic gradient sum: {@link Blocks#defaultCount} of this data's shape. */
    public int defaultBlocks() { return Blocks.defaultCount(data.rows(), data.cols(), data.nnz()); }

    /**
     * {@link #gradient(double[], double[])} with an explicit number of row blocks
     * (1 <= blocks <= rows): each block's rows are accumulated in row order into the block's
     * partial sum ({@link #blockGradient}), the partial sums are combined by the fixed
     * pairwise tree ({@link Blocks#treeReduce}) and the loss sums likewise ({@link Blocks#treeSum}).
     */
    public double gradient(double[] w, double[] g, int blocks) {
        return gradient(w, g, blocks, true);
    }

    /**
     * {@link #gradient(double[], double[], int)}, and with {@code withLoss} false the gradient
     * only: g gets the same bits, the loss terms are not computed (the dense logistic pass then
     * skips its log1p) and the result is NaN. For solvers whose step does not look at F(w)
     * (gradient descent with a fixed step, seed 000 section 2.3).
     */
    public double gradient(double[] w, double[] g, int blocks, boolean withLoss) {
        checkBlocks(blocks);
        Scratch sc = SCRATCH.get();
        double[][] parts = sc.parts(blocks, g.length);
        parts[0] = g;                             // the tree's sum ends in parts[0]: no copy
        double[] sums = sc.sums;
        try {
            for (int b = 0; b < blocks; b++) sums[b] = blockGradient(w, b, blocks, parts[b], withLoss);
            Blocks.treeReduce(parts, blocks, 0, g.length);
            double f = finishGradient(w, g, Blocks.treeSum(sums, blocks), g);
            return withLoss ? f : Double.NaN;
        } finally {
            parts[0] = null;                      // the caller's g is not kept
        }
    }

    /** Fails unless 1 <= blocks <= rows. */
    public void checkBlocks(int blocks) {
        if (blocks < 1 || blocks > data.rows())
            throw new IllegalArgumentException("blocks must be in [1, rows = " + data.rows() + "], got " + blocks);
    }

    /**
     * Block {@code block} of {@code blocks}' partial sum: {@code part} (overwritten) becomes
     * sum_i loss'(y_i, x_i.w) x_i over the block's rows [{@link Blocks#start}(block),
     * start(block+1)), accumulated in row order; returns the rows' loss sum, also in row
     * order. One sweep per row (seed 000 eq. (1.3)): the margin x_i.w, the loss and its
     * derivative, then x_i added to the partial while the row is still in L1 (a dense row of
     * up to a few thousand doubles is read from memory once). Safe to call concurrently for
     * different blocks with different {@code part} arrays. {@code withLoss} false: the same
     * partial, and the loss sum is not computed (0 is returned).
     */
    public double blockGradient(double[] w, int block, int blocks, double[] part, boolean withLoss) {
        java.util.Arrays.fill(part, 0.0);
        int n = data.rows();
        int from = Blocks.start(block, blocks, n), to = Blocks.start(block + 1, blocks, n);
        VectorKernels k = Kernels.get();
        double[] x = data.values(), y = data.labels();
        int[] idx = data.indices(), ptr = data.rowPtr();
        int d = data.cols();
        Scratch sc = SCRATCH.get();
        double[] vd = sc.vd;
        if (idx == null && d <= AXPY4_MAX_COLS) return denseBlock(k, w, from, to, part, sc, withLoss);
        boolean dense = idx == null;
        double s = 0;
        for (int i = from; i < to; i++) {
            // the same kernel calls as Kernels.dot/axpy on a row view
            int off = dense ? i * d : ptr[i], nnz = dense ? d : ptr[i + 1] - off;
            double m = dense ? k.dot(x, off, w, 0, nnz) : k.sparseDot(x, idx, off, nnz, w);
            double dl = lossAndDerivative(m, y[i], sc);
            if (withLoss) s += vd[0];
            if (dl != 0) {
                if (dense) k.axpy(dl, x, off, part, 0, nnz);
                else k.sparseAxpy(dl, x, idx, off, nnz, part);
            }
        }
        return s;
    }

    /**
     * The read-only twin of {@link #blockGradient}: the same rows of block {@code block} read
     * in the same order and streams, but only their margins summed (no loss, no partial).
     * Benchmarks time it as the memory-read ceiling of the full gradient, side by side.
     */
    public double blockMarginSum(double[] w, int block, int blocks) {
        int n = data.rows();
        int from = Blocks.start(block, blocks, n), to = Blocks.start(block + 1, blocks, n);
        VectorKernels k = Kernels.get();
        double[] x = data.values();
        int d = data.cols();
        double s = 0;
        if (data.indices() != null || d > AXPY4_MAX_COLS) {
            Row r = new Row();
            for (int i = from; i < to; i++) s += Kernels.dot(data.row(i, r), w);
            return s;
        }
        int q = (to - from) / 4;
        double[] m = SCRATCH.get().m;
        for (int r0 = from, end = from + q; r0 < end; r0++) {
            k.dot4(x, r0 * d, (r0 + q) * d, (r0 + 2 * q) * d, (r0 + 3 * q) * d, w, d, m);
            s += (m[0] + m[1]) + (m[2] + m[3]);
        }
        for (int i = from + 4 * q; i < to; i++) s += k.dot(x, i * d, w, 0, d);
        return s;
    }

    /** Dense rows up to this length go through {@link VectorKernels#dot4}/{@link VectorKernels#axpy4}: four rows (64 KB) stay in L1/L2. */
    private static final int AXPY4_MAX_COLS = 2048;

    /**
     * The dense block loop, four memory streams at once: the block's first 4q rows (q =
     * rows / 4) are taken as four quarters, and step i handles rows r, r+q, r+2q, r+3q
     * (r = from + i): their four margins in one pass ({@link VectorKernels#dot4}), their
     * losses, then the four rows added to the partial in one pass ({@link VectorKernels#axpy4})
     * while they are still in L1. The hardware prefetcher follows four streams at once; one
     * stream measured about half the read bandwidth (docs/benchmarks.md section 6). The
     * logistic loss takes the four margins through {@link VectorKernels#logistic} (one vector
     * exp, and one log1p when the loss is wanted, for four rows). The last rows % 4 rows follow
     * one by one. The order depends on the block alone, never on the threads. A step whose four
     * derivatives are all 0 adds nothing (the hinge loss).
     */
    private double denseBlock(VectorKernels k, double[] w, int from, int to, double[] part, Scratch sc, boolean withLoss) {
        double[] x = data.values(), y = data.labels();
        int d = data.cols();
        int q = (to - from) / 4;
        double[] m = sc.m, yq = sc.yq, a = sc.a, vd = sc.vd;
        double[] l = withLoss ? sc.l : null;
        boolean logistic = loss == Loss.LOGISTIC;
        double s = 0;
        for (int r0 = from, end = from + q; r0 < end; r0++) {
            int r1 = r0 + q, r2 = r1 + q, r3 = r2 + q;
            int o0 = r0 * d, o1 = r1 * d, o2 = r2 * d, o3 = r3 * d;
            k.dot4(x, o0, o1, o2, o3, w, d, m);
            if (logistic) {
                labels(y, r0, q, yq);
                k.logistic(m, yq, 4, a, l);
                if (withLoss) s = (((s + l[0]) + l[1]) + l[2]) + l[3];
            } else {
                a[0] = lossAndDerivative(m[0], y[r0], sc);
                if (withLoss) s += vd[0];
                a[1] = lossAndDerivative(m[1], y[r1], sc);
                if (withLoss) s += vd[0];
                a[2] = lossAndDerivative(m[2], y[r2], sc);
                if (withLoss) s += vd[0];
                a[3] = lossAndDerivative(m[3], y[r3], sc);
                if (withLoss) s += vd[0];
            }
            if (a[0] != 0 || a[1] != 0 || a[2] != 0 || a[3] != 0) k.axpy4(a[0], o0, a[1], o1, a[2], o2, a[3], o3, x, part, d);
        }
        for (int i = from + 4 * q, off = i * d; i < to; i++, off += d) {
            double dl = lossAndDerivative(k.dot(x, off, w, 0, d), y[i], sc);
            if (withLoss) s += vd[0];
            if (dl != 0) k.axpy(dl, x, off, part, 0, d);
        }
        return s;
    }

    /**
     * The block pass's small buffers, one set per thread: allocating them per block (tens of KB
     * per pass on small problems) made the cache-resident gradient three times slower once the
     * young generation was large (measured with -Xms6g: 40 us per pass, then 140). The serial
     * gradient's block partials likewise, up to 2^20 doubles in all.
     */
    private static final class Scratch {
        final double[] m = new double[4], yq = new double[4], a = new double[4], l = new double[4];
        final double[] vd = new double[1], m1 = new double[1], y1 = new double[1], d1 = new double[1];
        // the serial gradient's block partials, kept between calls while they are small
        private double[][] parts;
        double[] sums = new double[0];

        /** B partial buffers of d doubles (parts[0] to be set by the caller); kept when B d <= 2^20. */
        double[][] parts(int blocks, int d) {
            if (sums.length != blocks) sums = new double[blocks];
            if (parts != null && parts.length == blocks && (blocks == 1 || parts[1].length == d)) return parts;
            double[][] p = new double[blocks][];
            for (int b = 1; b < blocks; b++) p[b] = new double[d];
            if ((long) blocks * d <= 1 << 20) parts = p;   // larger ones are left to the GC, as before
            return p;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The labels of rows r, r + q, r + 2q, r + 3q (one four-stream step). */
    private static void labels(double[] y, int r, int q, double[] out) {
        out[0] = y[r];
        out[1] = y[r + q];
        out[2] = y[r + 2 * q];
        out[3] = y[r + 3 * q];
    }

    /**
     * loss'(y, m), with loss(y, m) stored in {@code sc.vd[0]}. The logistic loss goes through
     * the kernels' logistic term (one exp for both), so every row of a pass, in a four-row
     * step or not, dense or sparse, gets the same bits for the same margin.
     */
    private double lossAndDerivative(double m, double yi, Scratch sc) {
        if (loss == Loss.LOGISTIC) {
            sc.m1[0] = m;
            sc.y1[0] = yi;
            ScalarKernels.INSTANCE.logistic(sc.m1, sc.y1, 1, sc.d1, sc.vd);
            return sc.d1[0];
        }
        sc.vd[0] = loss.value(m, yi);
        return loss.derivative(m, yi);
    }

    /**
     * The last step of the gradient: {@code g = sum / n + l2 w} ({@code sum} is the reduced
     * sum of the blocks' partials and may be {@code g} itself); returns F(w) from the reduced
     * loss sum.
     */
    public double finishGradient(double[] w, double[] sum, double lossSum, double[] g) {
        double inv = 1.0 / data.rows();
        double sq = 0, abs = 0;
        for (int j = 0; j < g.length; j++) {
            g[j] = sum[j] * inv + l2 * w[j];
            sq += w[j] * w[j];
            abs += Math.abs(w[j]);
        }
        return lossSum * inv + 0.5 * l2 * sq + l1 * abs;
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
