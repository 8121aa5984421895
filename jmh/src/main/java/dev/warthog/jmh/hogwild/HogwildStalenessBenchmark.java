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
 * Cost of Hogwild!'s staleness measurement, with {@code access = plain} (the mode where the
 * measurement is the only cross-thread traffic besides w itself). Measuring an update reads
 * every other worker's update counter before the read of w and again after the write
 * ({@code PaddedCounters.sumOthersOpaque}); those counters are written on every update, so
 * with two or more threads each measured update costs cache-line transfers.
 * {@code stalenessEvery}: 1 = every update (the library default), 64, and 2^30 = in effect
 * off (only the first update of each worker is measured). Everything else as in
 * {@link HogwildBenchmark} (score: wall ms per epoch; a {@code # hogwild-summary} line per trial).
 *
 * <pre>java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar HogwildStalenessBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@OperationsPerInvocation(HogwildBenchmark.EPOCHS)
@Fork(value = 1, jvmArgsAppend = { "--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HogwildStalenessBenchmark {
    @Param({ "analog", "text" })
    public String data;

    @Param({ "1", "2" })
    public int threads;

    @Param({ "1", "64", "1073741824" })
    public int stalenessEvery;

    private Problem problem;
    private Hogwild solver;
    private final Workloads.Tally tally = new Workloads.Tally();

    @Setup(Level.Trial)
    public void setup() {
        problem = Workloads.problem(data);
        solver = Workloads.solver(threads, "plain", HogwildBenchmark.EPOCHS, stalenessEvery).build();
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams ip) {
        tally.measuring(ip.getType() == IterationType.MEASUREMENT);
    }

    @TearDown(Level.Trial)
    public void summary() {
        tally.print("data=" + data + " access=plain threads=" + threads + " stalenessEvery=" + stalenessEvery);
    }

    @Benchmark
    public Result epoch() {
        long t0 = System.nanoTime();
        Result r = solver.solve(problem, Workloads.stubTracker(problem));
        tally.add(r, System.nanoTime() - t0);
        return r;
    }
}
