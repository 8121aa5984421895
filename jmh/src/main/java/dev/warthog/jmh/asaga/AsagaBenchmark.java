package dev.warthog.jmh.asaga;

import dev.warthog.asaga.Asaga;
import dev.warthog.data.Dataset;
import dev.warthog.gen.Generators;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.shared.AccessMode;
import dev.warthog.solver.Result;
import dev.warthog.trace.TracePoint;
import dev.warthog.trace.Tracker;
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

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * ASAGA epoch time by thread count and workload.
 *
 * <ul>
 *   <li>{@code analog}: {@code Generators.analog(460000, 100000, 1)}, logistic loss, l2 = 1e-5
 *       (5-10 uniformly spread non-zeros per row: conflicts on w and gbar are rare);</li>
 *   <li>{@code text}: {@code Generators.text(200000, 50000, 75, 1)}, logistic loss, l2 = 1e-5
 *       (Zipf "hot" features in most rows: the CAS adds on gbar and the writes to w conflict).</li>
 * </ul>
 *
 * <p><b>What is measured</b> (as in the Hogwild! benchmark): one invocation is one complete
 * {@code Asaga.solve(problem, tracker)} of {@value #EPOCHS} epochs from w = 0 with the same
 * seed (every invocation does the same draws), and JMH divides by
 * {@link OperationsPerInvocation} = {@value #EPOCHS}: the score is <b>wall ms per epoch</b>,
 * per-solve costs included and amortised over the epochs: the pass for the inverse feature
 * frequencies D_j, the memory initialisation at w = 0 (one O(nnz) pass, part of ASAGA's
 * training time), allocation, starting and joining the workers. Evaluation is kept out: the
 * tracker is built over a two-row stub problem of the same dimension (its evaluations cost
 * O(d) and stop the training clock), so the real objective is never computed.
 *
 * <p>Each trial also prints a {@code # asaga-summary} line over the measurement iterations:
 * {@code train_ms_per_epoch} (the library's training clock over the whole solve, divided by
 * the epochs: includes the memory initialisation) and {@code steady_ms_per_epoch} (the clock
 * between the end of epoch 1 and the last epoch, read from the trace, divided by the epochs
 * in between: the per-epoch cost alone, initialisation and first epoch excluded), and
 * updates/s on the steady clock.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar AsagaBenchmark
 *java -jar jmh/target/benchmarks.jar AsagaBenchmark -p data=text -p access=plain,atomic -p threads=1,2,4</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@OperationsPerInvocation(AsagaBenchmark.EPOCHS)
@Fork(value = 1, jvmArgsAppend = { "--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AsagaBenchmark {
    /** Epochs per invocation (= operations per invocation). */
    static final int EPOCHS = 4;

    @Param({ "analog", "text" })
    public String data;

    @Param({ "1", "2" })
    public int threads;

    @Param({ "plain" })
    public String access;

    private Problem problem;
    private Asaga solver;
    private boolean measuring;
    private long solves, epochs, steadyEpochs, updates, steadyUpdates;
    private double trainSeconds, steadySeconds, wallSeconds;

    static Problem problem(String data) {
        long t0 = System.nanoTime();
        Problem p = switch (data) {
            case "analog" -> Problem.of(Generators.analog(460_000, 100_000, 1), Loss.LOGISTIC, 1e-5, 0);
            case "text" -> Problem.of(Generators.text(200_000, 50_000, 75, 1), Loss.LOGISTIC, 1e-5, 0);
            default -> throw new IllegalArgumentException("unknown data '" + data + "': expected analog or text");
        };
        p.maxRowNormSq();   // computed once here, not inside the first measured solve
        System.out.printf(Locale.ROOT, "%n# data %s: %d rows, %d cols, %d non-zeros, generated in %.1f s%n",
                p.data().source(), p.rows(), p.dim(), p.data().nnz(), (System.nanoTime() - t0) * 1e-9);
        return p;
    }

    /**
     * A tracker that evaluates every epoch (for the per-epoch training clock in its trace) at
     * O(d) cost: it is built over a two-row stub problem of the same dimension and loss; the
     * solver trains on the real problem, given as {@code solve}'s argument.
     */
    static Tracker stubTracker(Problem p) {
        int d = p.dim();
        Dataset stub = Dataset.sparse(2, d, new int[] { 0, 1, 2 }, new int[] { 0, d - 1 }, new double[] { 1, 1 },
                new double[] { -1, 1 }, "stub");
        return Tracker.builder(Problem.of(stub, p.loss(), p.l2(), 0)).evalEvery(1).build();
    }

    @Setup(Level.Trial)
    public void setup() {
        problem = problem(data);
        solver = Asaga.builder().threads(threads).access(AccessMode.parse(access)).epochs(EPOCHS).seed(1).build();
        System.out.printf(Locale.ROOT, "# %s, step %.6g%n", solver, Asaga.defaultStep(problem));
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams ip) {
        measuring = ip.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void summary() {
        if (solves == 0) return;
        System.out.printf(Locale.ROOT,
                "%n# asaga-summary data=%s threads=%d access=%s solves=%d wall_ms_per_epoch=%.3f train_ms_per_epoch=%.3f"
                        + " steady_ms_per_epoch=%.3f steady_Mupdates_per_s=%.3f%n",
                data, threads, access, solves, 1e3 * wallSeconds / epochs, 1e3 * trainSeconds / epochs,
                steadyEpochs == 0 ? Double.NaN : 1e3 * steadySeconds / steadyEpochs,
                steadySeconds == 0 ? Double.NaN : steadyUpdates / steadySeconds * 1e-6);
    }

    @Benchmark
    public Result epoch() {
        long t0 = System.nanoTime();
        Result r = solver.solve(problem, stubTracker(problem));
        long wall = System.nanoTime() - t0;
        if (measuring) {
            solves++;
            epochs += r.epochs();
            updates += r.samples();
            trainSeconds += r.trainSeconds();
            wallSeconds += wall * 1e-9;
            List<TracePoint> pts = r.trace().points();
            if (pts.size() >= 3) {
                TracePoint first = pts.get(1), last = pts.get(pts.size() - 1);
                steadySeconds += last.seconds() - first.seconds();
                steadyEpochs += last.epoch() - first.epoch();
                steadyUpdates += (long) (last.epoch() - first.epoch()) * problem.rows();
            }
        }
        return r;
    }
}
