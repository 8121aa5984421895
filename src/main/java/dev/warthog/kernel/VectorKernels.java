package dev.warthog.kernel;

/**
 * The dense and sparse BLAS-1 kernels every solver's inner loop is made of. Two
 * implementations stand behind this interface: {@link ScalarKernels} (plain loops) and
 * {@code PanamaKernels} (the incubating Vector API), chosen once at start-up by
 * {@link Kernels}. Both must give the same results up to floating-point reassociation.
 *
 * <p>Offsets and lengths are not checked beyond what the JVM's array bounds do.
 */
public interface VectorKernels {
    /** Name for logs and benchmark tables ("scalar", "panama-512" ...). */
    String name();

    /** sum_k a[aOff+k] * b[bOff+k], k in [0, n). */
    double dot(double[] a, int aOff, double[] b, int bOff, int n);

    /**
     * Four dots against one w in one pass: out[r] = sum_k x[o_r + k] * w[k], k in [0, n), for
     * r = 0..3. Each w element is loaded once for four rows, and four rows far apart in x are
     * four memory streams at once: one stream from DRAM was measured at about half the
     * bandwidth four give (docs/benchmarks.md section 6). The summation order is the
     * implementation's own, and not that of {@link #dot}.
     */
    void dot4(double[] x, int o0, int o1, int o2, int o3, double[] w, int n, double[] out);

    /** y[yOff+k] += alpha * x[xOff+k], k in [0, n). */
    void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n);

    /**
     * Four axpys in one pass over y: y[k] = (((y[k] + a0 x[o0+k]) + a1 x[o1+k]) + a2 x[o2+k]) + a3 x[o3+k],
     * k in [0, n); every product rounded, then added, so the bits are those of four
     * {@link #axpy} calls in that order (the full gradient adds four cached rows at a time).
     */
    default void axpy4(double a0, int o0, double a1, int o1, double a2, int o2, double a3, int o3,
                       double[] x, double[] y, int n) {
        for (int k = 0; k < n; k++)
            y[k] = (((y[k] + a0 * x[o0 + k]) + a1 * x[o1 + k]) + a2 * x[o2 + k]) + a3 * x[o3 + k];
    }

    /**
     * The logistic loss terms of n margins, elementwise (k in [0, n)): with z = y[k] m[k] and
     * e = exp(-|z|), deriv[k] = (z > 0 ? -y[k] e : -y[k]) / (e + 1), the derivative in m of
     * log(1 + exp(-z)); unless {@code loss} is null, loss[k] = (z > 0 ? 0 : -z) + log1p(e), the
     * loss itself. exp and log1p are {@link LogisticMath}'s (a few ulps from {@link Math#exp}
     * and {@link Math#log1p}): every implementation gives the same bits. The full gradient
     * takes the four margins of {@link #dot4} through it at once.
     */
    void logistic(double[] m, double[] y, int n, double[] deriv, double[] loss);

    /**
     * The average of two replicas written back to both: a[k] = b[k] = (a[k] + b[k]) * 0.5, k in
     * [from, to) (exactly (a + b) / 2: the same bits in every implementation). Local SGD's round
     * for two workers.
     */
    void average2(double[] a, double[] b, int from, int to);

    /** x[off+k] *= alpha, k in [0, n). */
    void scale(double alpha, double[] x, int off, int n);

    /** Gather: sum_k values[off+k] * w[indices[off+k]], k in [0, nnz). */
    double sparseDot(double[] values, int[] indices, int off, int nnz, double[] w);

    /** Scatter: w[indices[off+k]] += alpha * values[off+k], k in [0, nnz); indices distinct. */
    void sparseAxpy(double alpha, double[] values, int[] indices, int off, int nnz, double[] w);
}
