package dev.warthog.averaging;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.Team;
import dev.warthog.gen.Generators;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.testutil.Numerics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The O(touched) averaging rounds of {@link ReplicaWorkers} on sparse data, against the dense rounds and {@link SerialPasgd}. */
class SparseRoundsTest {
    // d = 3000, ~7.5 non-zeros per row: sparse rounds are chosen automatically
    static final Dataset ANALOG = Generators.analog(700, 3000, 5);
    static final Problem P = Problem.of(ANALOG, Loss.LOGISTIC, 1e-2, 0);

    static LocalSgd.Builder pasgd(int m, int tau, int batch) {
        return LocalSgd.builder().workers(m).tau(tau).batch(batch).seed(11).step(0.5)
                .schedule(Sgd.Schedule.CONSTANT).epochs(2);
    }

    static double[] serial(Problem p, int m, int b, int tau, long steps, double eta) {
        SerialPasgd ref = new SerialPasgd(p, m, b, 11, null, 0, 0);
        return LocalSgdTest.reference(ref, tau, steps, eta);
    }

    static long steps(Problem p, int m, int b, int epochs) { return (long) epochs * ((p.rows() + (long) m * b - 1) / ((long) m * b)); }

    static void assertClose(double[] want, double[] got, String what) {
        double diff = Numerics.maxAbsDiff(want, got);
        assertTrue(diff <= 1e-12 * Math.max(1, Numerics.maxAbs(want)), what + ": diff " + diff);
    }

    static long extra(Result r, String key) { return ((Number) r.extras().get(key)).longValue(); }

    @Test
    void sparseDenseAndSerialAgree() {
        int m = 3, b = 2, tau = 4;
        long steps = steps(P, m, b, 2);
        double[] ref = serial(P, m, b, tau, steps, 0.5);
        Result auto = pasgd(m, tau, b).threads(2).build().solve(P, Numerics.quiet(P));
        Result sparse = pasgd(m, tau, b).threads(2).sparseRounds(true).build().solve(P, Numerics.quiet(P));
        Result dense = pasgd(m, tau, b).threads(2).sparseRounds(false).build().solve(P, Numerics.quiet(P));
        Result single = pasgd(m, tau, b).threads(1).sparseRounds(true).build().solve(P, Numerics.quiet(P));
        long rounds = (steps + tau - 1) / tau;
        assertEquals(rounds, extra(auto, "sparseRounds"), "auto picks sparse rounds on analog");
        assertEquals(0, extra(dense, "sparseRounds"));
        Numerics.assertBitsEqual(auto.weights(), sparse.weights(), "auto = sparse");
        assertTrue(Numerics.maxAbs(ref) > 0.05, "the model moved");
        assertClose(ref, dense.weights(), "dense rounds vs serial");
        assertClose(ref, sparse.weights(), "sparse rounds vs serial");
        // one thread and two add the same logged changes in the same order: the same bits
        Numerics.assertBitsEqual(single.weights(), sparse.weights(), "1 thread = 2 threads");
        assertClose(dense.weights(), sparse.weights(), "sparse vs dense");
    }

    @Test
    void sparseRoundsDoNotDependOnThreads() {
        for (String shares : new String[] {null, "0:0.5,2:0"}) {
            double[] first = null;
            for (int t = 1; t <= 4; t++) {
                Result r = pasgd(4, 3, 2).threads(t).shares(shares).build().solve(P, Numerics.quiet(P));
                assertTrue(extra(r, "sparseRounds") > 0);
                if (first == null) first = r.weights();
                else Numerics.assertBitsEqual(first, r.weights(), "shares " + shares + " at " + t + " threads");
            }
        }
    }

    @Test
    void roundsAppliedByTheTeamHaveTheCallersBits() {
        // the packs applied by the team, each thread to its own copy of g (serialApply 0), or by the caller alone to every copy: the same bits
        // with l2 = 1 (eta l2 = 0.5) the global scale is folded into every copy of g every few rounds
        for (Problem p : new Problem[] {P, Problem.of(ANALOG, Loss.LOGISTIC, 1.0, 0)}) {
            double[] want = null;
            for (int t = 1; t <= 3; t++) {
                for (int serialApply : new int[] {0, Integer.MAX_VALUE}) {
                    try (ReplicaWorkers rw = open(p, 3, t, 2)) {
                        rw.serialApply = serialApply;
                        assertTrue(rw.sparseRounds(true));
                        for (int k = 0; k < 60; k += 5) {
                            rw.localSteps(5, k, x -> 0.5, false);
                            rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                        }
                        double[] x = rw.model().clone();
                        if (want == null) want = x;
                        else Numerics.assertBitsEqual(want, x, "l2 " + p.l2() + " threads " + t + " serialApply " + serialApply);
                    }
                }
            }
            assertClose(serial(p, 3, 2, 5, 60, 0.5), want, "l2 " + p.l2() + " vs serial");
        }
    }

    /**
     * A period that writes nearly every coordinate (d = 1,000, 20,000 steps of one row of 5 to
     * 10 non-zeros): a cut that frees less than half of the log doubles it, so each later cut
     * frees at least d/2 entries and the cuts stay below 1 + writes / (d/2). Without the
     * doubling the log stayed at 1,024 entries and was cut every few steps (thousands of cuts).
     */
    @Test
    void aLogCutThatFreesLittleDoublesTheLog() {
        int m = 2, b = 1, tau = 20_000, cols = 1000, maxNnz = 10;
        Problem p = Problem.of(Generators.analog(700, cols, 5), Loss.LOGISTIC, 1e-2, 0);
        double[] want = null;
        for (int t = 1; t <= 2; t++) {
            try (ReplicaWorkers rw = open(p, m, t, b)) {
                assertTrue(rw.sparseRounds(true));
                rw.localSteps(tau, 0, x -> 0.05, false);
                rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                long bound = m * (1 + (long) tau * maxNnz / (cols / 2));
                assertTrue(rw.logCuts() > 0 && rw.logCuts() <= bound, "cuts " + rw.logCuts() + ", at most " + bound);
                assertTrue(rw.logCapacity() <= 4 * cols + 2 * maxNnz, "log capacity " + rw.logCapacity());
                double[] x = rw.model().clone();
                if (want == null) want = x;
                else Numerics.assertBitsEqual(want, x, "threads " + t);
            }
        }
    }

    @Test
    void longPeriodsLogsAreCutOrGrownAndKeepEveryWrite() {
        // d = 60: a period of 300 steps of 4 rows writes a coordinate many times, so each worker's
        // log fills with d entries or more and is cut (ReplicaWorkers.Local.growLog); d = 20,000:
        // the same period writes ~9,000 entries with few repeats, and the log grows past its first
        // 1024. Either way the model stays the serial reference's and the bits do not depend on T
        int m = 3, b = 4, tau = 300;
        for (int cols : new int[] {60, 20_000}) {
            Problem p = Problem.of(Generators.analog(700, cols, 5), Loss.LOGISTIC, 1e-2, 0);
            double[] want = null;
            for (int t = 1; t <= 3; t++) {
                try (ReplicaWorkers rw = open(p, m, t, b)) {
                    assertTrue(rw.sparseRounds(true));
                    for (int k = 0; k < 4 * tau; k += tau) {
                        rw.localSteps(tau, k, x -> 0.5, false);
                        rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                    }
                    if (cols == 60) assertTrue(rw.logCuts() >= 4 * m, "cuts: " + rw.logCuts());
                    else assertTrue(rw.logCuts() == 0 && rw.logCapacity() > 1024, "grown: " + rw.logCapacity());
                    double[] x = rw.model().clone();
                    if (want == null) want = x;
                    else Numerics.assertBitsEqual(want, x, "d " + cols + " threads " + t);
                }
            }
            assertTrue(Numerics.maxAbs(want) > 0.05, "d " + cols + ": the model moved");
            assertClose(serial(p, m, b, tau, 4 * tau, 0.5), want, "d " + cols + " vs serial");
        }
    }

    @Test
    void denseRoundsByTheCallerAloneHaveTheTeamsBits() {
        // small replicas are averaged by the caller between the regions, large ones by the team
        // over slices: every combine gives the same bits either way, at every thread count
        for (ReplicaWorkers.Combine how : ReplicaWorkers.Combine.values()) {
            double[] want = null;
            for (int t = 1; t <= 3; t++) {
                for (long serialAverage : new long[] {0, Long.MAX_VALUE}) {
                    try (ReplicaWorkers rw = open(P, 3, t, 2)) {
                        rw.serialAverage = serialAverage;
                        assertFalse(rw.sparseRounds(false));
                        for (int k = 0; k < 40; k += 4) {
                            rw.localSteps(4, k, x -> 0.5, false);
                            rw.average(how, 0.5, 0.3);
                        }
                        double[] x = rw.model().clone();
                        if (want == null) want = x;
                        else Numerics.assertBitsEqual(want, x, how + " threads " + t + " serialAverage " + serialAverage);
                    }
                }
            }
            assertTrue(Numerics.maxAbs(want) > 0.01, how + ": the model moved");
        }
    }

    @Test
    void periodsInOneRegionHaveTheTwoRegionBits() {
        // local-sgd runs its periods in one region (ReplicaWorkers.sparsePeriods); the same run with a
        // region for the steps and one for the round gives the same bits, rounds and steps, at any T
        Problem strong = Problem.of(ANALOG, Loss.LOGISTIC, 1.0, 0);   // eta l2 = 0.5: both scale folds happen
        for (Problem p : new Problem[] {P, strong}) {
            for (String shares : new String[] {null, "0:0.5,2:0"}) {
                LocalSgd.Builder b = pasgd(4, p == strong ? 40 : 3, 2).shares(shares).sparseRounds(true);
                Result want = b.threads(2).fusePeriods(false).build().solve(p, Numerics.quiet(p));
                for (int t = 1; t <= 3; t++) {
                    Result r = b.threads(t).fusePeriods(true).build().solve(p, Numerics.quiet(p));
                    String what = (p == strong ? "strong shrink" : "l2 0.01") + " shares " + shares + " T " + t;
                    Numerics.assertBitsEqual(want.weights(), r.weights(), what);
                    for (String key : new String[] {"sparseRounds", "iterations", "localSteps"})
                        assertEquals(extra(want, key), extra(r, key), what + " " + key);
                    assertEquals(extra(r, "iterations"), extra(r, "oneRegionRounds"), what + ": every round in one region");
                }
                assertEquals(0, extra(want, "oneRegionRounds"), "two regions per period");
                assertTrue(extra(want, "iterations") > 1);
            }
        }
    }

    @Test
    void aDivergingRunStopsAtTheSameRoundInOneRegion() {
        // the squared loss with a far too large step: every thread sees the same non-finite round and leaves
        Problem sq = Problem.of(ANALOG, Loss.SQUARED, 0, 0);
        LocalSgd.Builder b = pasgd(2, 3, 2).step(1e9).epochs(10).sparseRounds(true);
        Result two = b.threads(2).fusePeriods(false).build().solve(sq, Numerics.quiet(sq));
        long rounds = extra(two, "iterations");
        assertTrue(rounds < steps(sq, 2, 2, 10) / 3, "diverged early: " + rounds + " rounds");
        assertFalse(Double.isFinite(Numerics.maxAbs(two.weights())), "the run diverged");
        for (int t = 1; t <= 2; t++) {
            final int threads = t;
            Result one = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                    () -> b.threads(threads).fusePeriods(true).build().solve(sq, Numerics.quiet(sq)));
            assertEquals(rounds, extra(one, "iterations"), "T " + t);
            assertEquals(rounds, extra(one, "oneRegionRounds"), "T " + t);
            assertEquals(extra(two, "localSteps"), extra(one, "localSteps"), "T " + t);
        }
    }

    @Test
    void stepsMustBeAveragedBeforeMoreSteps() throws Exception {
        // a period is packed once: two runs of steps without a round would lose the first, so they are refused;
        // a round with no steps before it changes nothing
        for (int t = 1; t <= 2; t++) {
            try (ReplicaWorkers rw = open(P, 2, t, 2)) {
                assertTrue(rw.sparseRounds(true));
                for (int k = 0; k < 10; k += 5) {   // two periods: both packs have been used
                    rw.localSteps(5, k, x -> 0.5, false);
                    rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                }
                double[] before = rw.model().clone();
                rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                Numerics.assertBitsEqual(before, rw.model(), "an empty round, T " + t);
                rw.localSteps(5, 10, x -> 0.5, false);
                assertThrows(IllegalStateException.class, () -> rw.localSteps(5, 15, x -> 0.5, false), "T " + t);
                assertThrows(IllegalStateException.class, () -> rw.sparsePeriods(1, 5, 5, 15, x -> 0.5), "T " + t);
                rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                rw.localSteps(5, 15, x -> 0.5, false);   // allowed again after the round
            }
        }
    }

    @Test
    void aFailingWorkerEndsAOneRegionRunWithItsException() {
        // a failure in one thread's local steps releases the others at the in-region barrier
        for (Team.Wait wait : Team.Wait.values()) {
            for (int t = 1; t <= 3; t++) {
                for (int bad : new int[] {0, 2}) {
                    var boom = new IllegalStateException("boom " + bad);
                    final int threads = t;
                    var e = assertThrows(dev.warthog.engine.WorkerFailedException.class, () -> assertTimeoutPreemptively(
                            java.time.Duration.ofSeconds(20), () -> pasgd(3, 4, 1).threads(threads).barrier(wait).sparseRounds(true)
                                    .hook((w, k) -> { if (w == bad && k == 9) throw boom; }).build().solve(P, Numerics.quiet(P))));
                    assertSame(boom, e.getCause(), wait + " T " + t + " worker " + bad);
                }
            }
        }
    }

    @Test
    void localSgdTakesTheOneRegionPathByDefaultWithEitherBarrier() {
        Result spin = pasgd(3, 4, 2).threads(2).barrier(Team.Wait.SPIN).build().solve(P, Numerics.quiet(P));
        Result phaser = pasgd(3, 4, 2).threads(2).barrier(Team.Wait.PHASER).build().solve(P, Numerics.quiet(P));
        assertEquals(extra(spin, "iterations"), extra(spin, "oneRegionRounds"), "spin: every round in one region");
        assertEquals(extra(phaser, "iterations"), extra(phaser, "oneRegionRounds"), "phaser: every round in one region");
        Numerics.assertBitsEqual(spin.weights(), phaser.weights(), "spin vs phaser");
        // each run says which barrier it used; by default spin while every thread has a processor, else the Phaser
        assertEquals("phaser", phaser.extras().get("barrier"));
        int cpus = Runtime.getRuntime().availableProcessors();
        Result plain = pasgd(3, 4, 2).threads(Math.min(2, cpus)).build().solve(P, Numerics.quiet(P));
        assertEquals("spin", plain.extras().get("barrier"));
        Result over = pasgd(cpus + 1, 4, 2).threads(cpus + 1).build().solve(P, Numerics.quiet(P));
        assertEquals("phaser", over.extras().get("barrier"), cpus + 1 + " threads on " + cpus + " processors");
        assertEquals(Team.Wait.SPIN, Settings.barrierFor(8, 2, 2), "only min(threads, M) threads run");
        assertEquals(Team.Wait.PHASER, Settings.barrierFor(3, 3, 2));
    }

    @Test
    void theCallersOwnWorkBetweenPhasesIsNotTimed() throws Exception {
        // a phase starts its clock where the previous one ended (the lap timer), unless the caller used the
        // model in between: then the caller's own work must stay out of the compute and aggregate times
        for (boolean sparse : new boolean[] {false, true}) {
            try (ReplicaWorkers rw = open(P, 2, 2, 2)) {
                rw.sparseRounds(sparse);
                long w0 = System.nanoTime();
                rw.localSteps(3, 0, x -> 0.5, false);
                rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                double[] x = rw.model();          // the caller's work starts here: untimed
                assertTrue(Double.isFinite(x[0]));
                Thread.sleep(60);
                rw.localSteps(3, 3, k -> 0.5, false);
                rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                long wall = System.nanoTime() - w0;
                long timed = rw.computeNanos + rw.aggregateNanos;
                assertTrue(timed > 0 && timed <= wall - 55_000_000L, "sparse " + sparse + ": timed " + timed + " of " + wall + " ns");
            }
        }
    }

    static ReplicaWorkers open(Problem p, int m, int threads, int batch) {
        return new ReplicaWorkers(p, new ReplicaWorkers.Config(m, threads, Team.Wait.PHASER, batch, 11, Shares.equal(m),
                Stragglers.NONE, 0, 0));
    }

    @Test
    void aCoordinateTouchedByOneWorkerIsAveragedWithTheOthersShrunkCopies() {
        // three rows on three distinct columns of d = 40; each worker owns one row: every touched
        // coordinate is touched by exactly one worker, the other two only shrink it by (1 - eta l2)
        int d = 40;
        Dataset data = Dataset.sparse(3, d, new int[] {0, 1, 2, 3}, new int[] {3, 17, 29}, new double[] {1.0, 0.5, 2.0},
                new double[] {1, -1, 1}, "three");
        double l2 = 0.1, eta = 0.3;
        Problem p = Problem.of(data, Loss.LOGISTIC, l2, 0);
        RowSubset[] parts = Shares.equal(3).split(data.all(), 11);
        double[] x = new double[d];
        try (ReplicaWorkers rw = open(p, 3, 2, 1)) {
            assertTrue(rw.sparseRounds(true));
            for (int period = 0; period < 3; period++) {
                rw.localSteps(1, period, k -> eta, false);
                rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                // by hand: x_c <- ((1 - eta l2) x_c - eta loss'(a x_c, y) a + 2 (1 - eta l2) x_c) / 3 on each row's
                // column c; every other coordinate x <- (1 - eta l2) x
                double[] next = new double[d];
                for (int j = 0; j < d; j++) next[j] = (1 - eta * l2) * x[j];
                for (int i = 0; i < 3; i++) {
                    assertEquals(1, parts[i].size());
                    Row r = parts[i].row(0, new Row());
                    int c = r.column(0);
                    double a = r.value(0);
                    double own = (1 - eta * l2) * x[c] - eta * Loss.LOGISTIC.derivative(a * x[c], r.label) * a;
                    next[c] = (own + 2 * (1 - eta * l2) * x[c]) / 3;
                }
                x = next;
                assertClose(x, rw.model(), "period " + period);
                assertTrue(rw.finite());
            }
        }
        assertNotEquals(0.0, x[3]);
        assertNotEquals(0.0, x[17]);
        assertNotEquals(0.0, x[29]);
    }

    @Test
    void strongShrinkFoldsTheScalesAndStaysExact() {
        // eta l2 = 0.5: the local scale s = 2^-k falls below 1e-9 within a period of 40 steps (folded into the
        // touched coordinates and base_i) and the global scale G below 1e-9 every round (folded into g)
        Problem strong = Problem.of(ANALOG, Loss.LOGISTIC, 1.0, 0);
        int m = 3, b = 1, tau = 40;
        LocalSgd.Builder bld = LocalSgd.builder().workers(m).tau(tau).batch(b).seed(11).step(0.5)
                .schedule(Sgd.Schedule.CONSTANT).epochs(1).threads(2);
        long steps = steps(strong, m, b, 1);
        double[] ref = serial(strong, m, b, tau, steps, 0.5);
        Result sparse = bld.sparseRounds(true).build().solve(strong, Numerics.quiet(strong));
        assertTrue(extra(sparse, "sparseRounds") > 0);
        double scale = Numerics.maxAbs(ref), diff = Numerics.maxAbsDiff(ref, sparse.weights());
        assertTrue(scale > 1e-4, "nonzero model " + scale);
        assertTrue(diff <= 1e-12 * scale, "strong shrink: diff " + diff + " of " + scale);
        // and a moderate shrink (l2 = 0.2) over several periods, relative to the model's size
        Problem mid = Problem.of(ANALOG, Loss.LOGISTIC, 0.2, 0);
        long s2 = steps(mid, 3, 2, 2);
        double[] ref2 = serial(mid, 3, 2, 7, s2, 0.5);
        Result r2 = pasgd(3, 7, 2).threads(3).build().solve(mid, Numerics.quiet(mid));
        assertTrue(extra(r2, "sparseRounds") > 0);
        assertClose(ref2, r2.weights(), "sparse rounds, l2 0.2");
    }

    /**
     * A coordinate logged many times in the period of a scale fold: every row has x_0 = 1, so
     * every step writes u_0 (and the alternating labels make a mini-batch of one +1 and one -1
     * row inside the hinge's slope bring u_0 back to exactly 0, the case the old first-touch
     * lists had to list twice). eta l2 = 0.5 takes s below 1e-9 at step 30 of each 40-step
     * period, and the fold must scale u_0 once ({@code foldScale}'s marks): scaled once per
     * log entry, x_0 loses its period's change and the run leaves the serial reference by
     * orders of magnitude.
     */
    @Test
    void aCoordinateListedTwiceIsScaledOnceByAFold() {
        int rows = 48, cols = 8;
        int[] ptr = new int[rows + 1], idx = new int[2 * rows];
        double[] val = new double[2 * rows], y = new double[rows];
        for (int i = 0; i < rows; i++) {
            idx[2 * i] = 0;
            val[2 * i] = 1.0;
            idx[2 * i + 1] = 1 + i % (cols - 1);
            val[2 * i + 1] = 0.25 + 0.125 * (i % 3);
            y[i] = i % 2 == 0 ? 1 : -1;
            ptr[i + 1] = 2 * i + 2;
        }
        Dataset twice = Dataset.sparse(rows, cols, ptr, idx, val, y, "listed-twice");
        Problem p = Problem.of(twice, Loss.HINGE, 1.0, 0);
        int m = 2, b = 2, tau = 40;
        long steps = steps(p, m, b, 16);
        double[] ref = serial(p, m, b, tau, steps, 0.5);
        for (int threads = 1; threads <= 2; threads++) {
            Result r = LocalSgd.builder().workers(m).tau(tau).batch(b).seed(11).step(0.5).schedule(Sgd.Schedule.CONSTANT)
                    .epochs(16).threads(threads).sparseRounds(true)
                    .build().solve(p, Numerics.quiet(p));
            assertEquals((steps + tau - 1) / tau, extra(r, "sparseRounds"));
            double scale = Numerics.maxAbs(ref), diff = Numerics.maxAbsDiff(ref, r.weights());
            assertTrue(Math.abs(ref[0]) > 1e-3, "x_0 moved: " + ref[0]);
            assertTrue(diff <= 1e-12 * scale, "threads " + threads + ": diff " + diff + " of " + scale);
        }
    }

    @Test
    void momentumFallsBackToDenseRoundsAndMatchesTheReference() {
        // local momentum keeps dense buffers and block momentum a dense u: both run dense rounds on sparse data
        int m = 2, b = 1, tau = 3;
        long steps = steps(P, m, b, 1);
        SerialPasgd ref = new SerialPasgd(P, m, b, 11, null, 0.9, 0.3);
        for (long k = 0; k < steps; k += tau) ref.period((int) Math.min(tau, steps - k), 0.05);
        Result r = pasgd(m, tau, b).step(0.05).epochs(1).localMomentum(0.9).blockMomentum(0.3).sparseRounds(true).threads(2)
                .build().solve(P, Numerics.quiet(P));
        assertEquals(0, extra(r, "sparseRounds"));
        assertClose(ref.model(), r.weights(), "block + local momentum");
        SerialPasgd refBm = new SerialPasgd(P, m, b, 11, null, 0, 0.3);
        for (long k = 0; k < steps; k += tau) refBm.period((int) Math.min(tau, steps - k), 0.05);
        Result bm = pasgd(m, tau, b).step(0.05).epochs(1).blockMomentum(0.3).threads(2).build().solve(P, Numerics.quiet(P));
        assertEquals(0, extra(bm, "sparseRounds"));
        assertClose(refBm.model(), bm.weights(), "block momentum");
    }

    @Test
    void adaCommAndFedAvgOnSparseData() {
        // AdaComm (plain averaging) uses sparse rounds: T-independent and equal to dense rounds within rounding
        AdaComm.Builder a = AdaComm.builder().workers(3).tau0(8).interval("40").batch(2).seed(11).step(0.5).epochs(2);
        Result a1 = a.threads(1).build().solve(P, Numerics.quiet(P));
        Result a3 = a.threads(3).build().solve(P, Numerics.quiet(P));
        Result ad = a.threads(2).sparseRounds(false).build().solve(P, Numerics.quiet(P));
        assertTrue(extra(a1, "sparseRounds") > 0);
        Numerics.assertBitsEqual(a1.weights(), a3.weights(), "adacomm 1 vs 3 threads");
        assertArrayEquals((int[]) ad.extras().get("tauSequence"), (int[]) a1.extras().get("tauSequence"));
        assertClose(ad.weights(), a1.weights(), "adacomm sparse vs dense rounds");
        // FedAvg keeps its dense server step
        Result f = FedAvg.builder().workers(2).threads(2).localSteps(2).batch(2).seed(11).step(0.5).epochs(1).build()
                .solve(P, Numerics.quiet(P));
        assertEquals(0, extra(f, "sparseRounds"));
        assertTrue(Double.isFinite(f.objective()));
    }
}
