package dev.warthog.jmh.hogwild;

import dev.warthog.hogwild.Hogwild;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.util.concurrent.TimeUnit;

/**
 * Hogwild! throughput by access mode, thread count and workload ({@link Workloads}: sparse
 * {@code analog} with rare conflicts, sparse {@code text} with hot features, {@code dense}).
 *
 * <p><b>What is measured.</b> One invocation is one complete
 * {@code Hogwild.solve(problem, tracker)} of {@value #EPOCHS} epochs, from w = 0, with the
 * same seed every time (so every invocation does the same updates); JMH divides by
 * {@link OperationsPerInvocation} = {@value #EPOCHS}, so the score is <b>wall ms per epoch</b>.
 * The data is generated and the solver built once per trial; the solve itself runs the
 * library's code unchanged (engine, barriers, partitioning, staleness counters included).
 * Two per-solve costs that are not epochs are kept small rather than subtracted:
 * <ul>
 *   <li>the tracker's epoch-0 evaluation (two passes over the data with the real problem) is
 *       made O(dim) by giving the solver a tracker over a two-row stub problem
 *       ({@link Workloads#stubTracker}); evalEvery = MAX_VALUE, so no later epoch is evaluated;</li>
 *   <li>the rest (the O(nnz) pass of {@code shrinkCoefficients}, allocating w, starting and
 *       joining the worker threads) is amortised over {@value #EPOCHS} epochs.</li>
 * </ul>
 * Each trial also prints a {@code # hogwild-summary} line, over the measurement iterations,
 * with the library's own training clock ({@code Result.trainSeconds()}: the clock excludes
 * evaluation, shrink coefficients and allocation), so the per-solve overhead is visible as
 * {@code wall_ms_per_epoch - train_ms_per_epoch}; it also gives updates/s
 * (= rows x epochs / time) and the measured staleness tau. Updates/s from the JMH score:
 * {@code rows / (score ms) * 1000} (analog 460,000 rows, text 200,000, dense 20,000).
 *
 * <p>Staleness is measured every {@code stalenessEvery} = 64th update here (a parameter, to
 * keep the counters' cross-core reads from dominating short sparse updates; the library's
 * default is 1), see {@link HogwildStalenessBenchmark} for that cost.
 *
 * <p>Runs (2-core box; use {@code -p threads=1,2,4,8,16} on bigger machines):
 * <pre>java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar HogwildBenchmark
 *java ... HogwildBenchmark -p data=text -p access=atomic,locked -p threads=1,2,4,8</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@OperationsPerInvocation(HogwildBenchmark.EPOCHS)
@Fork(value = 1, jvmArgsAppend = { "--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HogwildBenchmark {
    /** Epochs per invocation (= operations per invocation). */
    static final int EPOCHS = 4;

    @Param({ "analog", "text", "dense" })
    public String data;

    @Param({ "plain", "opaque", "atomic", "striped", "locked" })
    public String access;

    @Param({ "1", "2" })
    public int threads;

    /** Measure staleness on every k-th update (library default 1). */
    @Param({ "64" })
    public int stalenessEvery;

    private Problem problem;
    private Hogwild solver;
    private final Workloads.Tally tally = new Workloads.Tally();

    @Setup(Level.Trial)
    public void setup() {
        problem = Workloads.problem(data);
        solver = Workloads.solver(threads, access, EPOCHS, stalenessEvery).build();
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams ip) {
        tally.measuring(ip.getType() == IterationType.MEASUREMENT);
    }

    @TearDown(Level.Trial)
    public void summary() {
        tally.print("data=" + data + " access=" + access + " threads=" + threads + " stalenessEvery=" + stalenessEvery);
    }

    @Benchmark
    public Result epoch() {
        long t0 = System.nanoTime();
        Result r = solver.solve(problem, Workloads.stubTracker(problem));
        tally.add(r, System.nanoTime() - t0);
        return r;
    }
}
