package dev.warthog.jmh.sync;

import dev.warthog.data.Dataset;
import dev.warthog.engine.Team;
import dev.warthog.gen.Generators;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.sync.Aggregation;
import dev.warthog.sync.ParallelGradient;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One full-gradient evaluation of the logistic loss, the whole iteration of synchronous
 * parallel GD/AGD (seed 000 section 2.3) but the O(d) server update: the fused blocked pass
 * over the rows, the aggregation of the block partials and g = sum/n + l2 w.
 *
 * <ul>
 *   <li>{@code serial}: {@link Problem#gradient(double[], double[])} on the calling thread
 *       (allocates its block partials per call);</li>
 *   <li>{@code parallel}: {@link ParallelGradient#gradient} with {@code threads} threads, an
 *       aggregation and a barrier kind (the team and buffers are made once, in the setup);</li>
 *   <li>{@code read}: {@link ParallelGradient#readPass}, the same threads reading the same rows in
 *       the same streams and only summing the margins: the read ceiling measured in the same run.</li>
 * </ul>
 * Data ({@code shape}):
 * <ul>
 *   <li>{@code dense-500000x256}: 500,000 x 256 doubles, 1.02 GB, streamed from DRAM each
 *       call; the memory-read ceiling is 1.02 GB / 28.4 GB/s = 36 ms at 1 thread and
 *       1.02 GB / 42.8 GB/s = 24 ms at 2 (targets: 1.25x those, ~47 and ~30 ms);</li>
 *   <li>{@code dense-1024x40} (320 KB) and {@code dense-2048x16} (256 KB): X fits in one
 *       core's 512 KB L2, the pass takes tens of microseconds, and the barrier round trips
 *       decide the 2-thread speedup (target >= 1.85x): compare spin and phaser;</li>
 *   <li>{@code analog}: {@code Generators.analog(460000, 100000, 1)}, sparse (5-10 non-zeros
 *       per row, 100,000 features: the block partials are d-sized, their reduction counts).</li>
 * </ul>
 * Values are a seeded uniform fill (the gradient's cost does not depend on the values;
 * generating 128 M Gaussians would only slow the setup). Forks get 6 GB of heap and
 * transparent huge pages.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar FullGradientBenchmark
 *java -jar jmh/target/benchmarks.jar 'FullGradientBenchmark.parallel' -p shape=dense-1024x40 -p threads=1,2 -p barrier=spin,phaser</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-modules=jdk.incubator.vector", "-Xms6g", "-Xmx6g", "-XX:+UseTransparentHugePages" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FullGradientBenchmark {

    /** The data, w and g: shared by both benchmarks. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({ "dense-500000x256", "dense-1024x40", "dense-2048x16", "analog" })
        public String shape;

        /** false: the gradient only, as fixed-step GD/AGD iterates (no loss terms, no log1p). */
        @Param({ "true", "false" })
        public boolean loss;

        Problem problem;
        double[] w, g;

        @Setup(Level.Trial)
        public void setUp() {
            Dataset d;
            if (shape.equals("analog")) {
                d = Generators.analog(460_000, 100_000, 1);
            } else {
                String[] rc = shape.substring("dense-".length()).split("x");
                d = denseUniform(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]), 1);
            }
            problem = Problem.of(d, Loss.LOGISTIC, 1e-4, 0);
            SplittableRandom rnd = new SplittableRandom(2);
            w = new double[problem.dim()];
            for (int j = 0; j < w.length; j++) w[j] = rnd.nextDouble(-0.1, 0.1);
            g = new double[problem.dim()];
        }

        static Dataset denseUniform(int rows, int cols, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            double[] x = new double[Math.multiplyExact(rows, cols)];
            for (int k = 0; k < x.length; k++) x[k] = rnd.nextDouble(-1, 1);
            double[] y = new double[rows];
            for (int i = 0; i < rows; i++) y[i] = rnd.nextBoolean() ? 1 : -1;
            return Dataset.dense(rows, cols, x, y, "uniform(" + rows + "x" + cols + ")");
        }
    }

    /** The team: threads, aggregation, barrier. */
    @State(Scope.Benchmark)
    public static class Team1 {
        @Param({ "1", "2" })
        public int threads;

        @Param({ "sliced" })
        public String aggregate;

        @Param({ "spin" })
        public String barrier;

        ParallelGradient pg;

        @Setup(Level.Trial)
        public void setUp(Data data) {
            pg = new ParallelGradient(data.problem, threads, Aggregation.parse(aggregate), Team.Wait.parse(barrier),
                    null, null, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pg.close();
            System.out.printf("%n# full-gradient: %s, compute %.3f s, aggregate %.3f s over %d calls; per worker: in tasks %s s, at barriers %s s%n",
                    pg, pg.computeSeconds(), pg.aggregateSeconds(), pg.calls(),
                    java.util.Arrays.toString(pg.workerComputeSeconds()), java.util.Arrays.toString(pg.workerBarrierSeconds()));
        }
    }

    @Benchmark
    public double serial(Data d) {
        return d.problem.gradient(d.w, d.g, d.problem.defaultBlocks(), d.loss);
    }

    @Benchmark
    public double parallel(Data d, Team1 t) {
        return t.pg.gradient(d.w, d.g, d.loss);
    }

    /**
     * The read ceiling, side by side with {@code parallel}: the same team reads the same rows
     * in the same four streams per thread and only sums their margins.
     */
    @Benchmark
    public double read(Data d, Team1 t) {
        return t.pg.readPass(d.w);
    }
}
