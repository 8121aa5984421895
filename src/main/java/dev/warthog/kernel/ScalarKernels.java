package dev.warthog.kernel;

/** Plain-loop twin of the Vector API kernels; the fallback when the module is absent. */
public final class ScalarKernels implements VectorKernels {
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    @Override public String name() { return "scalar"; }

    @Override public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        // Four accumulators break the add dependency chain, as the vector version does.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += a[aOff + k] * b[bOff + k];
            s1 += a[aOff + k + 1] * b[bOff + k + 1];
            s2 += a[aOff + k + 2] * b[bOff + k + 2];
            s3 += a[aOff + k + 3] * b[bOff + k + 3];
        }
        for (; k < n; k++) s0 += a[aOff + k] * b[bOff + k];
        return (s0 + s1) + (s2 + s3);
    }

    /** One accumulator per row, in k order: four independent add chains. */
    @Override public void dot4(double[] x, int o0, int o1, int o2, int o3, double[] w, int n, double[] out) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int k = 0; k < n; k++) {
            double wk = w[k];
            s0 += x[o0 + k] * wk;
            s1 += x[o1 + k] * wk;
            s2 += x[o2 + k] * wk;
            s3 += x[o3 + k] * wk;
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
    }

    @Override public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int k = 0; k < n; k++) y[yOff + k] += alpha * x[xOff + k];
    }

    @Override public void logistic(double[] m, double[] y, int n, double[] deriv, double[] loss) {
        for (int k = 0; k < n; k++) LogisticMath.term(m[k], y[k], deriv, loss, k);
    }

    @Override public void average2(double[] a, double[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            double x = (a[k] + b[k]) * 0.5;
            a[k] = x;
            b[k] = x;
        }
    }

    @Override public void scale(double alpha, double[] x, int off, int n) {
        for (int k = off, e = off + n; k < e; k++) x[k] *= alpha;
    }

    @Override public double sparseDot(double[] values, int[] indices, int off, int nnz, double[] w) {
        double s0 = 0, s1 = 0;
        int k = off, e = off + nnz;
        for (; k + 1 < e; k += 2) {
            s0 += values[k] * w[indices[k]];
            s1 += values[k + 1] * w[indices[k + 1]];
        }
        if (k < e) s0 += values[k] * w[indices[k]];
        return s0 + s1;
    }

    @Override public void sparseAxpy(double alpha, double[] values, int[] indices, int off, int nnz, double[] w) {
        for (int k = off, e = off + nnz; k < e; k++) w[indices[k]] += alpha * values[k];
    }
}
