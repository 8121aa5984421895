package dev.warthog.jmh.averaging;

import dev.warthog.averaging.AveragingRound;
import dev.warthog.averaging.LocalSgd;
import dev.warthog.engine.Team;
import dev.warthog.gen.Generators;
import dev.warthog.hogwild.Hogwild;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.shared.AccessMode;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.trace.Tracker;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The averaging family's performance target (issue 6):
 * <ul>
 *   <li>{@link Round}: one averaging round (barrier + tree average of 2 replicas written back
 *       to both) at 2 threads, for d = 1e3 .. 1e7, next to {@code copy}: System.arraycopy of
 *       the same bytes (both replicas copied once). Target: round <= 1.3 x copy.</li>
 *   <li>{@link Throughput}: local steps per second of PASGD (tau 1, 8, 32; M = 2 workers,
 *       batch 1) against Hogwild! (plain access) updates per second on the analog workload
 *       (Generators.analog(460000, 100000, 1), hinge, l2 1e-4), 2 threads, one epoch per
 *       call. Target: PASGD at tau >= 8 reaches >= 90% of Hogwild!'s rate. Each call prints
 *       "# averaging-summary ... Mupdates_per_s=..." (PASGD also its averaging and barrier
 *       seconds and how many rounds were sparse, O(touched x M)). The
 *       {@code barrier} parameter picks PASGD's barrier ({@code -p barrier=phaser,spin}), and
 *       {@code batch} its mini-batch ({@code -p batch=1,16}; the summary then also gives samples
 *       per second, the rate to compare with Hogwild!'s per-sample updates).</li>
 * </ul>
 */
public class AveragingBenchmark {

    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public static class Round {
        @Param({"1000", "10000", "100000", "1000000", "10000000"}) int dim;
        @Param({"phaser", "spin"}) String barrier;
        AveragingRound round;
        double[] a, b, ca, cb;

        @Setup public void setup() {
            round = AveragingRound.open(2, 2, dim, Team.Wait.parse(barrier));
            a = new double[dim]; b = new double[dim]; ca = new double[dim]; cb = new double[dim];
            java.util.Arrays.fill(a, 1);
        }

        @TearDown public void tearDown() { round.close(); }

        @Benchmark public void round() { round.round(); }

        /** Baseline: copy both replicas once (2 d doubles read, 2 d written), one thread. */
        @Benchmark public void copy(Blackhole bh) {
            System.arraycopy(a, 0, ca, 0, dim);
            System.arraycopy(b, 0, cb, 0, dim);
            bh.consume(ca);
        }
    }

    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public static class Throughput {
        @Param({"hogwild", "pasgd-1", "pasgd-8", "pasgd-32"}) String method;
        /** PASGD's barrier (Hogwild! has none). */
        @Param({"spin"}) String barrier;
        /**
         * PASGD's mini-batch per local step (Hogwild! always updates per sample). With batch b
         * the comparison is in samples per second: a period is tau b samples per worker.
         */
        @Param({"1"}) int batch;
        Problem p;

        @Setup(Level.Trial) public void setup() {
            p = Problem.of(Generators.analog(460_000, 100_000, 1), Loss.HINGE, 1e-4, 0);
            p.maxRowNormSq();
        }

        @Benchmark public Result epoch() {
            Tracker t = Tracker.builder(p).evalEvery(Integer.MAX_VALUE).build();
            Result r;
            long updates;
            if (method.equals("hogwild")) {
                r = Hogwild.builder().threads(2).access(AccessMode.parse("plain")).epochs(1).seed(1).step(1e-3).build().solve(p, t);
                updates = r.samples();
            } else {
                int tau = Integer.parseInt(method.substring("pasgd-".length()));
                r = LocalSgd.builder().threads(2).workers(2).tau(tau).batch(batch).seed(1).step(1e-3).barrier(Team.Wait.parse(barrier))
                        .schedule(Sgd.Schedule.CONSTANT).epochs(1).build().solve(p, t);
                updates = (long) r.extras().get("localSteps");
            }
            long samples = method.equals("hogwild") ? updates : updates * batch;
            System.out.printf(java.util.Locale.ROOT, "%n# averaging-summary %s batch=%d train_s=%.3f Mupdates_per_s=%.3f Msamples_per_s=%.3f%s%n",
                    method, method.equals("hogwild") ? 1 : batch, r.trainSeconds(), updates / r.trainSeconds() * 1e-6,
                    samples / r.trainSeconds() * 1e-6, method.equals("hogwild") ? ""
                            : String.format(java.util.Locale.ROOT, " barrier=%s aggregate_s=%.3f barrier_s=%.3f sparse_rounds=%s",
                                    barrier, (double) r.extras().get("aggregateSeconds"), (double) r.extras().get("barrierSeconds"),
                                    r.extras().get("sparseRounds")));
            return r;
        }
    }
}
