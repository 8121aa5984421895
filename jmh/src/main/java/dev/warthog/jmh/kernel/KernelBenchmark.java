package dev.warthog.jmh.kernel;

import dev.warthog.kernel.PanamaKernels;
import dev.warthog.kernel.ScalarKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Scalar/vector pairs of the BLAS-1 kernels, from L1-resident (1 Ki doubles = 8 KB per
 * array) through L2 (32 Ki = 256 KB) and L3 (1 Mi = 8 MB) to DRAM streaming (16 Mi = 128 MB
 * per array, far above the 32 MB L3). Sparse pairs run a batch of rows of 8, 75 or 1000
 * non-zeros against a 100,000-dimensional weight vector, about 64 Ki non-zeros per op. The
 * logistic pairs compute the loss terms of {@code size} margins (the a array, uniform in
 * [-1, 1)) with the b array as labels; {@code Math.exp}-based code is the reference
 * {@code FullGradientBenchmark} compares against in context.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar KernelBenchmark \
 *      -wi 3 -i 5 -w 1s -r 1s -f 1
 * </pre>
 * Results and the derived GB/s are in docs/bench/kernels.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx2g",
        "-XX:+UseTransparentHugePages"})
public class KernelBenchmark {
    static final ScalarKernels SCALAR = ScalarKernels.INSTANCE;
    static final PanamaKernels VECTOR = new PanamaKernels();

    @State(Scope.Thread)
    public static class Dense {
        /** Elements per array. */
        @Param({"1024", "32768", "1048576", "16777216"})
        public int size;
        public double[] a, b;
        public final double[] out = new double[4];
        /** The logistic kernel's outputs (allocated on first use). */
        double[] deriv, loss;
        /** Alternates 2 and 0.5 so repeated scaling stays exact and bounded. */
        private boolean flip;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom r = new SplittableRandom(42);
            a = new double[size];
            b = new double[size];
            for (int i = 0; i < size; i++) {
                a[i] = r.nextDouble(-1, 1);
                b[i] = r.nextDouble(-1, 1);
            }
        }

        double nextScale() { return (flip = !flip) ? 2.0 : 0.5; }

        double[] deriv() { return deriv != null ? deriv : (deriv = new double[size]); }
        double[] loss() { return loss != null ? loss : (loss = new double[size]); }
    }

    @State(Scope.Thread)
    public static class Sparse {
        /** Non-zeros per row. */
        @Param({"8", "75", "1000"})
        public int nnz;
        public static final int DIM = 100_000;
        public static final int TOTAL = 1 << 16;
        public double[] values, w;
        public int[] indices;
        public int rows;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom r = new SplittableRandom(7);
            rows = Math.max(1, TOTAL / nnz);
            values = new double[rows * nnz];
            indices = new int[rows * nnz];
            w = new double[DIM];
            for (int i = 0; i < DIM; i++) w[i] = r.nextDouble(-1, 1);
            boolean[] used = new boolean[DIM];
            for (int row = 0; row < rows; row++) {
                int off = row * nnz;
                // nnz distinct random columns, sorted: a strictly increasing index set
                int[] cols = r.ints(0, DIM).distinct().limit(nnz).sorted().toArray();
                for (int k = 0; k < nnz; k++) {
                    indices[off + k] = cols[k];
                    values[off + k] = r.nextDouble(-1, 1);
                }
            }
        }
    }

    // ---- dense dot: reads 16 bytes per element ----

    @Benchmark public double dotScalar(Dense s) { return SCALAR.dot(s.a, 0, s.b, 0, s.size); }

    @Benchmark public double dotVector(Dense s) { return VECTOR.dot(s.a, 0, s.b, 0, s.size); }

    // ---- axpy b += alpha a: reads 16, writes 8 bytes per element ----

    // ---- dot4: four rows (the four quarters of a) against one w (the first quarter of b) ----

    @Benchmark public double[] dot4Scalar(Dense s) {
        int q = s.size / 4;
        SCALAR.dot4(s.a, 0, q, 2 * q, 3 * q, s.b, q, s.out);
        return s.out;
    }

    @Benchmark public double[] dot4Vector(Dense s) {
        int q = s.size / 4;
        VECTOR.dot4(s.a, 0, q, 2 * q, 3 * q, s.b, q, s.out);
        return s.out;
    }

    @Benchmark public double[] axpyScalar(Dense s) { SCALAR.axpy(1e-3, s.a, 0, s.b, 0, s.size); return s.b; }

    @Benchmark public double[] axpyVector(Dense s) { VECTOR.axpy(1e-3, s.a, 0, s.b, 0, s.size); return s.b; }

    // ---- scale a *= alpha: reads 8, writes 8 bytes per element ----

    @Benchmark public double[] scaleScalar(Dense s) { SCALAR.scale(s.nextScale(), s.a, 0, s.size); return s.a; }

    @Benchmark public double[] scaleVector(Dense s) { VECTOR.scale(s.nextScale(), s.a, 0, s.size); return s.a; }

    // ---- average2: a = b = (a + b) / 2, reads 16, writes 16 bytes per element ----

    @Benchmark public double[] average2Scalar(Dense s) { SCALAR.average2(s.a, s.b, 0, s.size); return s.a; }

    @Benchmark public double[] average2Vector(Dense s) { VECTOR.average2(s.a, s.b, 0, s.size); return s.a; }

    // ---- logistic terms of size margins (a) and labels (b): reads 16, writes 8 or 16 bytes per element ----

    @Benchmark public double[] logisticScalar(Dense s) { SCALAR.logistic(s.a, s.b, s.size, s.deriv(), s.loss()); return s.loss; }

    @Benchmark public double[] logisticVector(Dense s) { VECTOR.logistic(s.a, s.b, s.size, s.deriv(), s.loss()); return s.loss; }

    /** The derivative only (the gradient-only pass of fixed-step gradient descent). */
    @Benchmark public double[] logisticDerivScalar(Dense s) { SCALAR.logistic(s.a, s.b, s.size, s.deriv(), null); return s.deriv; }

    @Benchmark public double[] logisticDerivVector(Dense s) { VECTOR.logistic(s.a, s.b, s.size, s.deriv(), null); return s.deriv; }

    // ---- sparse: a batch of rows, ~64 Ki non-zeros per op ----

    @Benchmark public double sparseDotScalar(Sparse s) {
        double acc = 0;
        for (int row = 0, nnz = s.nnz; row < s.rows; row++) acc += SCALAR.sparseDot(s.values, s.indices, row * nnz, nnz, s.w);
        return acc;
    }

    @Benchmark public double sparseDotVector(Sparse s) {
        double acc = 0;
        for (int row = 0, nnz = s.nnz; row < s.rows; row++) acc += VECTOR.sparseDot(s.values, s.indices, row * nnz, nnz, s.w);
        return acc;
    }

    @Benchmark public double[] sparseAxpyScalar(Sparse s) {
        for (int row = 0, nnz = s.nnz; row < s.rows; row++) SCALAR.sparseAxpy(1e-6, s.values, s.indices, row * nnz, nnz, s.w);
        return s.w;
    }

    @Benchmark public double[] sparseAxpyVector(Sparse s) {
        for (int row = 0, nnz = s.nnz; row < s.rows; row++) VECTOR.sparseAxpy(1e-6, s.values, s.indices, row * nnz, nnz, s.w);
        return s.w;
    }
}
