package dev.warthog.jmh.hogwild;

import dev.warthog.data.Dataset;
import dev.warthog.gen.Generators;
import dev.warthog.hogwild.Hogwild;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.trace.Tracker;

import java.util.Locale;
import java.util.Map;

/**
 * The Hogwild! benchmark workloads and the bookkeeping shared by {@link HogwildBenchmark} and
 * {@link HogwildStalenessBenchmark}.
 *
 * <ul>
 *   <li>{@code analog}: {@code Generators.analog(460000, 100000, 1)}, hinge loss, l2 = 1e-4
 *       (WP-SGD workload: 5-10 uniformly spread non-zeros per row, conflicts are rare);</li>
 *   <li>{@code text}: {@code Generators.text(200000, 50000, 75, 1)}, logistic loss, l2 = 1e-4
 *       (Zipf-distributed "hot" features shared by many rows: conflicts are frequent);</li>
 *   <li>{@code dense}: {@code Generators.dense(20000, 256, kappa 10, signal 4, logistic, seed 1)},
 *       logistic loss, l2 = 1e-4 (every update writes all 256 coordinates = 32 cache lines).</li>
 * </ul>
 */
final class Workloads {
    private Workloads() {}

    static Problem problem(String data) {
        long t0 = System.nanoTime();
        Problem p = switch (data) {
            case "analog" -> Problem.of(Generators.analog(460_000, 100_000, 1), Loss.HINGE, 1e-4, 0);
            case "text" -> Problem.of(Generators.text(200_000, 50_000, 75, 1), Loss.LOGISTIC, 1e-4, 0);
            case "dense" -> Problem.of(Generators.dense(20_000, 256, 10, 0, 4, true, 1), Loss.LOGISTIC, 1e-4, 0);
            default -> throw new IllegalArgumentException("unknown data '" + data + "': expected analog, text or dense");
        };
        p.maxRowNormSq();   // computed once here, not inside the first measured solve
        System.out.printf(Locale.ROOT, "%n# data %s: %d rows, %d cols, %d non-zeros, generated in %.1f s%n",
                p.data().source(), p.rows(), p.dim(), p.data().nnz(), (System.nanoTime() - t0) * 1e-9);
        return p;
    }

    /**
     * A tracker whose evaluations cost O(dim) instead of two passes over the data: it is built
     * over a two-row stub problem of the same dimension and loss. The solver trains on the real
     * problem (it gets it as {@code solve}'s argument); the tracker only evaluates w at epoch 0
     * (and never again, evalEvery = MAX_VALUE), keeps the training clock and counts epochs.
     * Its trace is meaningless and is not used.
     */
    static Tracker stubTracker(Problem p) {
        int d = p.dim();
        Dataset stub = p.data().isSparse()
                ? Dataset.sparse(2, d, new int[] { 0, 1, 2 }, new int[] { 0, d - 1 }, new double[] { 1, 1 },
                        new double[] { -1, 1 }, "stub")
                : Dataset.dense(2, d, new double[2 * d], new double[] { -1, 1 }, "stub");
        return Tracker.builder(Problem.of(stub, p.loss(), p.l2(), 0)).evalEvery(Integer.MAX_VALUE).build();
    }

    /**
     * Accumulates what the measurement iterations' solves reported, for the per-trial summary
     * line: the library's own training clock (evaluation, shrink-coefficient pass and
     * allocation excluded), the wall time of the whole {@code solve} call, updates and staleness.
     */
    static final class Tally {
        private long solves, epochs, updates, measured;
        private double trainSeconds, wallSeconds, tauSum, tauMax;
        private boolean measuring;

        void measuring(boolean on) { measuring = on; }

        void add(Result r, long wallNanos) {
            if (!measuring) return;
            solves++;
            epochs += r.epochs();
            updates += r.samples();
            trainSeconds += r.trainSeconds();
            wallSeconds += wallNanos * 1e-9;
            if (r.extras().get("staleness") instanceof Map<?, ?> st
                    && st.get("measured") instanceof Number m && st.get("mean") instanceof Number mean
                    && st.get("max") instanceof Number max) {
                measured += m.longValue();
                tauSum += mean.doubleValue() * m.longValue();
                tauMax = Math.max(tauMax, max.doubleValue());
            }
        }

        /** One greppable line: "# hogwild-summary key=value ...". */
        void print(String label) {
            if (solves == 0) return;
            System.out.printf(Locale.ROOT,
                    "%n# hogwild-summary %s solves=%d train_ms_per_epoch=%.3f wall_ms_per_epoch=%.3f"
                            + " train_Mupdates_per_s=%.3f wall_Mupdates_per_s=%.3f tau_mean=%.4f tau_max=%.0f tau_measured=%d%n",
                    label, solves, 1e3 * trainSeconds / epochs, 1e3 * wallSeconds / epochs,
                    updates / trainSeconds * 1e-6, updates / wallSeconds * 1e-6,
                    measured == 0 ? 0 : tauSum / measured, tauMax, measured);
        }
    }

    static Hogwild.Builder solver(int threads, String access, int epochs, int stalenessEvery) {
        return Hogwild.builder().threads(threads).access(dev.warthog.shared.AccessMode.parse(access))
                .epochs(epochs).seed(1).stalenessEvery(stalenessEvery);
    }
}
