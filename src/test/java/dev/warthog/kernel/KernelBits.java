package dev.warthog.kernel;

import java.util.SplittableRandom;

/**
 * Prints one line per kernel operation with a digest of the raw bits it produced on fixed
 * inputs (awkward lengths, special margins), for {@link KernelsTest}: a child JVM runs it fully
 * interpreted ({@code -Xint}) and one fully compiled by C2 ({@code -Xcomp}), and every line
 * must match this JVM's. Both the chosen kernels and the scalar twin are covered.
 */
public final class KernelBits {
    private KernelBits() {}

    public static void main(String[] args) {
        System.out.print(digests());
    }

    static String digests() {
        StringBuilder sb = new StringBuilder();
        for (VectorKernels k : new VectorKernels[] {Kernels.get(), ScalarKernels.INSTANCE}) {
            SplittableRandom r = new SplittableRandom(11);
            long dot = 1, axpy = 1, dot4 = 1, axpy4 = 1, logistic = 1, sparse = 1;
            for (int n : new int[] {1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 64, 100, 257}) {
                double[] a = new double[n + 3], b = new double[n + 5], y = new double[n + 5];
                for (int i = 0; i < a.length; i++) a[i] = r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-5, 5));
                for (int i = 0; i < b.length; i++) b[i] = r.nextDouble(-1, 1);
                dot = mix(dot, k.dot(a, 3, b, 1, n));
                k.axpy(0.3, a, 3, y, 2, n);
                axpy = mix(axpy, y);
                double[] x = new double[4 * n], m4 = new double[4], g = new double[n];
                for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-2, 2);
                k.dot4(x, 0, n, 2 * n, 3 * n, b, n, m4);
                dot4 = mix(dot4, m4);
                k.axpy4(0.1, 0, -0.2, n, 0.3, 2 * n, -0.4, 3 * n, x, g, n);
                axpy4 = mix(axpy4, g);
                double[] m = KernelsTest.margins(r, n), lab = new double[n], d = new double[n], l = new double[n];
                for (int i = 0; i < n; i++) lab[i] = r.nextBoolean() ? 1 : -1;
                k.logistic(m, lab, n, d, l);
                logistic = mix(mix(logistic, d), l);
                int[] idx = new int[n + 3];   // CSR: the row's entries are [3, 3 + n) of both arrays
                for (int i = 0; i < idx.length; i++) idx[i] = (i * 7) % b.length;
                double[] w = b.clone();
                sparse = mix(sparse, k.sparseDot(a, idx, 3, n, w));
                k.sparseAxpy(-0.7, a, idx, 3, n, w);
                sparse = mix(sparse, w);
            }
            String name = k == ScalarKernels.INSTANCE ? "scalar" : "chosen";
            sb.append(String.format("%s dot %016x axpy %016x dot4 %016x axpy4 %016x logistic %016x sparse %016x%n",
                    name, dot, axpy, dot4, axpy4, logistic, sparse));
        }
        return sb.toString();
    }

    private static long mix(long h, double v) { return h * 1_000_003L ^ Double.doubleToRawLongBits(v); }

    private static long mix(long h, double[] v) {
        for (double x : v) h = mix(h, x);
        return h;
    }
}
