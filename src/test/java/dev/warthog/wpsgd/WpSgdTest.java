package dev.warthog.wpsgd;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.engine.Seeds;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.WorkerFailedException;
import dev.warthog.gen.Generators;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.SolverOptions;
import dev.warthog.solver.Solvers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.SplittableRandom;

import static dev.warthog.testutil.Numerics.assertBitsEqual;
import static dev.warthog.testutil.Numerics.quiet;
import static org.junit.jupiter.api.Assertions.*;

class WpSgdTest {
    static final double L2 = 0.01, ETA = 0.05, W0 = 4;
    static final Dataset DATA = Generators.analog(1200, 40, 7);
    static final Problem P = Problem.of(DATA, Loss.HINGE, L2, 0);

    static WpSgd.Builder b(WpSgd.Mode mode, int workers, int threads) {
        return WpSgd.builder(mode).workers(workers).threads(threads).step(ETA).seed(11).initialWeight(W0);
    }

    static Result run(WpSgd.Builder b) { return b.build().solve(P, quiet(P)); }

    // ---- a serial reference written here: seed 001's SGD step on one worker's part ----

    /** w = (1 - eta l2) w - eta L'(x.w) x over `steps` rows of `rows`, reshuffled (Fisher-Yates) at each pass; as w = s v. */
    static double[] referenceSgd(int[] rows, long steps, SplittableRandom rnd, boolean scaleTrick) {
        int[] order = rows.clone();
        double[] v = new double[DATA.cols()];
        java.util.Arrays.fill(v, W0);
        double s = 1;
        int pos = order.length;
        Row r = new Row();
        for (long n = 0; n < steps; n++) {
            if (pos == order.length) {
                for (int k = order.length - 1; k > 0; k--) { int j = rnd.nextInt(k + 1); int x = order[k]; order[k] = order[j]; order[j] = x; }
                pos = 0;
            }
            DATA.row(order[pos++], r);
            if (scaleTrick) {
                double d = Loss.HINGE.derivative(s * Kernels.dot(r, v), r.label);
                s *= 1 - ETA * L2;
                if (d != 0) Kernels.axpy(-ETA * d / s, r, v);
            } else {
                double m = 0;
                for (int q = 0; q < r.nnz; q++) m += r.value(q) * v[r.column(q)];
                double d = Loss.HINGE.derivative(m, r.label);
                for (int j = 0; j < v.length; j++) v[j] *= 1 - ETA * L2;
                for (int q = 0; q < r.nnz; q++) v[r.column(q)] -= ETA * d * r.value(q);
            }
        }
        for (int j = 0; j < v.length; j++) v[j] *= s;
        return v;
    }

    static double[][] referenceWorkers(int m, String shares, long[] steps) {
        int[] counts = Shares.rowCounts(Shares.parse(shares, m), DATA.rows());
        int[][] parts = WpSgd.partition(DATA.rows(), counts, 11);
        double[][] w = new double[m][];
        for (int i = 0; i < m; i++) w[i] = referenceSgd(parts[i], steps[i], Seeds.forWorker(11, i), true);
        return w;
    }

    // ---- eq. (6) / (8) ----

    @Test
    void weightsAreEq6And8() {
        long[] t = {0, 3, 7, 0};
        double base = 0.9;
        double sum = 0;
        for (long x : t) sum += Math.pow(base, x);
        double[] w = Weights.of(base, t);
        for (int i = 0; i < t.length; i++) assertEquals(Math.pow(base, t[i]) / sum, w[i], 0.0, "weight " + i);
        // hand values: base 1/2, T = 0, 1, 2 -> 4/7, 2/7, 1/7
        assertArrayEquals(new double[] {4.0 / 7, 2.0 / 7, 1.0 / 7}, Weights.of(0.5, new long[] {0, 1, 2}), 1e-16);
        // relative to the smallest delay: the same weights where the naive form underflows
        double[] big = Weights.of(0.5, new long[] {5000, 5001});
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3}, big, 1e-16);
        assertEquals(0.0, Math.pow(0.5, 5000) + Math.pow(0.5, 5001), "the naive form is 0/0 here");
        // eq. (6): base 1 - lambda eta with long delays, against the formula in log space
        double c = 1 - 1e-4 * 0.01;
        long[] d = {0, 40_000, 50_000, 50_000};
        double[] w6 = Weights.of(c, d);
        double z = 0;
        for (long x : d) z += Math.exp(x * Math.log(c));
        for (int i = 0; i < d.length; i++) assertEquals(Math.exp(d[i] * Math.log(c)) / z, w6[i], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Weights.of(1.5, t));
    }

    @Test
    void conditionOfEq7() {
        // 2 sum (1-x)^T vs sqrt(k) + k: k = 4, all T = 0 -> 8 > 6 holds; one long delay -> 2*(3 + tiny) = 6.0.. > 6 barely
        Weights.Condition c = Weights.condition(0.5, new long[] {0, 0, 0, 0});
        assertEquals(8, c.lhs());
        assertEquals(6, c.rhs());
        assertTrue(c.holds());
        assertFalse(Weights.condition(0.5, new long[] {0, 0, 2, 2}).holds(), "2 * 2.5 = 5 < 6");
    }

    @Test
    void solverReportsEq6WeightsAndDelaysOfItsWorkload() {
        int m = 5;
        String shares = "3:0.05,4:0";
        Result r = run(b(WpSgd.Mode.WPSGD, m, 2).shares(shares).epochs(2));
        long[] rows = (long[]) r.extras().get("workerRows");
        int[] expectRows = Shares.rowCounts(Shares.parse(shares, m), DATA.rows());
        assertArrayEquals(java.util.Arrays.stream(expectRows).asLongStream().toArray(), rows);
        assertEquals(1200 - 60, rows[0] + rows[1] + rows[2]);
        long t = 2L * rows[0];
        assertEquals(t, r.extras().get("fastestUpdates"));
        long[] samples = (long[]) r.extras().get("workerSamples");
        long[] delays = (long[]) r.extras().get("delays");
        for (int i = 0; i < m; i++) {
            assertEquals(t * rows[i] / rows[0], samples[i], "t_i proportional to the share, worker " + i);
            assertEquals(t - samples[i], delays[i]);
        }
        assertEquals(t, delays[4], "an idle worker is t behind");
        double base = 1 - ETA * L2;
        double[] w = (double[]) r.extras().get("weights");
        double sum = 0;
        for (long x : delays) sum += Math.pow(base, x);
        for (int i = 0; i < m; i++) assertEquals(Math.pow(base, delays[i]) / sum, w[i], 1e-14 * w[i]);
        assertTrue(w[4] < w[3] && w[3] < w[0]);
        @SuppressWarnings("unchecked") var cond = (java.util.Map<String, Object>) r.extras().get("condition");
        assertEquals(2 * sum, (double) cond.get("lhs"), 1e-12);
        assertEquals(Math.sqrt(m) + m, (double) cond.get("rhs"));
        assertEquals(2 * sum > Math.sqrt(m) + m, cond.get("holds"));
        assertEquals("(7)", cond.get("equation"));

        // the final model is the eq. (6) combination of the workers' own runs
        double[][] ref = referenceWorkers(m, shares, samples);
        double[] expect = new double[DATA.cols()];
        for (int j = 0; j < expect.length; j++) for (int i = 0; i < m; i++) expect[j] += w[i] * ref[i][j];
        for (int j = 0; j < expect.length; j++) assertEquals(expect[j], r.weights()[j], 1e-12);

        // eq. (8) with a user r
        Result r8 = run(b(WpSgd.Mode.WPSGD, m, 2).shares(shares).epochs(2).r(0.99));
        double[] w8 = (double[]) r8.extras().get("weights");
        double s8 = 0;
        for (long x : delays) s8 += Math.pow(0.99, x);
        for (int i = 0; i < m; i++) assertEquals(Math.pow(0.99, delays[i]) / s8, w8[i], 1e-14 * Math.max(w8[i], 1e-300));
        @SuppressWarnings("unchecked") var cond8 = (java.util.Map<String, Object>) r8.extras().get("condition");
        assertEquals("(9)", cond8.get("equation"));
    }

    // ---- equivalences ----

    @Test
    void balancedWpSgdIsSimuParallelBitForBit() {
        Result wp = run(b(WpSgd.Mode.WPSGD, 4, 2).epochs(3));
        Result sp = run(b(WpSgd.Mode.SIMUPARALLEL, 4, 2).epochs(3));
        Result ad = run(b(WpSgd.Mode.AVERAGE_DIRECTLY, 4, 2).epochs(3));
        assertBitsEqual(sp.weights(), wp.weights(), "wpsgd vs simuparallel");
        assertBitsEqual(sp.weights(), ad.weights(), "average-directly vs simuparallel");
        assertEquals(3L * 300, sp.extras().get("fastestUpdates"));
    }

    @Test
    void oneWorkerIsTheSerialReference() {
        Result r = run(b(WpSgd.Mode.SIMUPARALLEL, 1, 1).epochs(2));
        int[][] parts = WpSgd.partition(DATA.rows(), new int[] {DATA.rows()}, 11);
        double[] ref = referenceSgd(parts[0], 2L * DATA.rows(), new SplittableRandom(11), true);
        assertBitsEqual(ref, r.weights(), "serial reference");
        // and the scale trick is the naive (1 - lambda eta) w - eta L' x update up to rounding
        double[] naive = referenceSgd(parts[0], 2L * DATA.rows(), new SplittableRandom(11), false);
        for (int j = 0; j < naive.length; j++) assertEquals(naive[j], r.weights()[j], 1e-9 * Math.max(1, Math.abs(naive[j])));
        assertNotEquals(W0, r.weights()[0], "it moved");
    }

    @Test
    void averageDirectlyIsThePlainMeanOfTheWorkers() {
        int m = 3;
        String shares = "0:0.5,2:0.1";
        Result r = run(b(WpSgd.Mode.AVERAGE_DIRECTLY, m, 2).shares(shares).epochs(1));
        long[] samples = (long[]) r.extras().get("workerSamples");
        assertEquals(600, samples[0]);
        assertEquals(600 * 480 / 600, samples[1]);
        assertEquals(600 * 120 / 600, samples[2]);
        double[][] ref = referenceWorkers(m, shares, samples);
        double[] mean = new double[DATA.cols()];
        for (int j = 0; j < mean.length; j++) {
            double acc = ref[0][j];
            for (int i = 1; i < m; i++) acc += ref[i][j];
            mean[j] = acc / m;
        }
        assertBitsEqual(mean, r.weights(), "plain mean");
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, (double[]) r.extras().get("weights"));
    }

    @Test
    void anIdleWorkerGetsATinyWeightInWpSgdAndFullWeightWhenAveragingDirectly() {
        int m = 4;
        Result wp = run(b(WpSgd.Mode.WPSGD, m, 2).shares("3:0").epochs(4).r(0.99));
        Result ad = run(b(WpSgd.Mode.AVERAGE_DIRECTLY, m, 2).shares("3:0").epochs(4));
        long t = (long) wp.extras().get("fastestUpdates");
        assertEquals(4 * 400, t);
        assertEquals(t, ((long[]) wp.extras().get("delays"))[3]);
        assertEquals(0, ((long[]) wp.extras().get("workerSamples"))[3]);
        double[] w = (double[]) wp.extras().get("weights");
        assertEquals(Math.pow(0.99, t) / (3 + Math.pow(0.99, t)), w[3], 1e-20);
        assertTrue(w[3] < 1e-6);
        assertEquals(0.25, ((double[]) ad.extras().get("weights"))[3]);
        // the idle worker still holds w0 = 4: averaging directly keeps a quarter of it, WP-SGD almost none
        assertTrue(wp.objective() < ad.objective(), wp.objective() + " vs " + ad.objective());
        // same workers (same seed, same counts): averaging directly = 3/4 (WP-SGD's mean of the three) + 4/4
        for (int j = 0; j < DATA.cols(); j++)
            assertEquals(0.75 * wp.weights()[j] + 1, ad.weights()[j], 1e-5, "coordinate " + j);
    }

    @Test
    void spanAtLeastTIsOneShotAndShorterSpansAveragePeriodically() {
        Result once = run(b(WpSgd.Mode.WPSGD, 4, 2).shares("0:0.4").epochs(2));
        long t = (long) once.extras().get("fastestUpdates");
        Result longSpan = run(b(WpSgd.Mode.WPSGD, 4, 2).shares("0:0.4").epochs(2).span(t));
        Result longerSpan = run(b(WpSgd.Mode.WPSGD, 4, 2).shares("0:0.4").epochs(2).span(10 * t));
        assertBitsEqual(once.weights(), longSpan.weights(), "span = t");
        assertBitsEqual(once.weights(), longerSpan.weights(), "span > t");
        assertEquals(1, once.extras().get("iterations"));
        Result periodic = run(b(WpSgd.Mode.WPSGD, 4, 2).shares("0:0.4").epochs(2).span(t / 4));
        assertEquals(4, periodic.extras().get("iterations"), java.util.Arrays.toString((long[]) periodic.extras().get("checkpointUpdates")) + " t=" + t);
        assertFalse(java.util.Arrays.equals(once.weights(), periodic.weights()));
        // each round's delays are the span's: the fastest makes span updates, worker i c_i(span)
        long[] round = (long[]) periodic.extras().get("roundDelays");
        long[] total = (long[]) periodic.extras().get("delays");
        long sum = 0;
        for (long x : round) sum += x;
        assertTrue(sum > 0 && round[1] <= total[1] / 4 + 1 && round[1] >= total[1] / 4 - 1, java.util.Arrays.toString(round));
        assertTrue(periodic.extras().containsKey("periodicFactor"));
    }

    @Test
    void periodicAveragingBroadcastsTheWeightedModel() {
        // span 1 with equal workers: after every update all replicas are the mean; compare with a reference
        int m = 2;
        Result r = run(b(WpSgd.Mode.SIMUPARALLEL, m, 2).updates(5).span(1));
        int[] counts = Shares.rowCounts(Shares.parse(null, m), DATA.rows());
        int[][] parts = WpSgd.partition(DATA.rows(), counts, 11);
        SplittableRandom[] rnd = {Seeds.forWorker(11, 0), Seeds.forWorker(11, 1)};
        int[][] order = {parts[0].clone(), parts[1].clone()};
        for (int i = 0; i < m; i++)
            for (int k = order[i].length - 1; k > 0; k--) { int j = rnd[i].nextInt(k + 1); int x = order[i][k]; order[i][k] = order[i][j]; order[i][j] = x; }
        double[] avg = new double[DATA.cols()];
        java.util.Arrays.fill(avg, W0);
        Row row = new Row();
        for (int n = 0; n < 5; n++) {
            double[][] w = new double[m][];
            for (int i = 0; i < m; i++) {
                w[i] = avg.clone();
                DATA.row(order[i][n], row);
                double d = Loss.HINGE.derivative(Kernels.dot(row, w[i]), row.label);
                double s = 1 - ETA * L2;
                for (int j = 0; j < w[i].length; j++) w[i][j] *= s;
                if (d != 0) Kernels.axpy(-ETA * d, row, w[i]);
            }
            for (int j = 0; j < avg.length; j++) avg[j] = (w[0][j] + w[1][j]) / 2;
        }
        for (int j = 0; j < avg.length; j++) assertEquals(avg[j], r.weights()[j], 1e-12);
        assertEquals(5, r.extras().get("iterations"));
    }

    // ---- threads, seeds ----

    @ParameterizedTest
    @EnumSource(WpSgd.Mode.class)
    void resultsDoNotDependOnTheThreadCount(WpSgd.Mode mode) {
        for (int m : new int[] {4, 10}) {
            String shares = mode == WpSgd.Mode.SIMUPARALLEL ? "1:0.3" : "1:0.3,2:0";
            WpSgd.Builder base = b(mode, m, 1).shares(shares).epochs(2).checkpointEvery(50);
            Result ref = run(base);
            Result refSpan = run(b(mode, m, 1).shares(shares).epochs(2).span(70));
            for (int threads = 2; threads <= 4; threads++) {
                assertBitsEqual(ref.weights(), run(b(mode, m, threads).shares(shares).epochs(2).checkpointEvery(50)).weights(),
                        mode + " M=" + m + " T=" + threads);
                assertBitsEqual(refSpan.weights(), run(b(mode, m, threads).shares(shares).epochs(2).span(70)).weights(),
                        mode + " span M=" + m + " T=" + threads);
            }
        }
    }

    @Test
    void sameSeedSameRunOtherSeedOtherRun() {
        Result a = run(b(WpSgd.Mode.WPSGD, 4, 2).shares("0:0.5"));
        Result a2 = run(b(WpSgd.Mode.WPSGD, 4, 3).shares("0:0.5"));
        Result c = run(b(WpSgd.Mode.WPSGD, 4, 2).shares("0:0.5").seed(12));
        assertBitsEqual(a.weights(), a2.weights(), "same seed");
        assertFalse(java.util.Arrays.equals(a.weights(), c.weights()));
    }

    @Test
    void slowdownScalesTheCountsReproducibly() {
        Stragglers st = Stragglers.parse("1:2,3:4", null, null);
        Result r = run(b(WpSgd.Mode.WPSGD, 4, 2).stragglers(st).epochs(1));
        long[] samples = (long[]) r.extras().get("workerSamples");
        assertArrayEquals(new long[] {300, 150, 300, 75}, samples);
        Result sp = run(b(WpSgd.Mode.SIMUPARALLEL, 4, 2).stragglers(st).epochs(1));
        assertArrayEquals(new long[] {300, 300, 300, 300}, (long[]) sp.extras().get("workerSamples"));
    }

    @Test
    void traceCheckpointsFollowTheFastestWorker() {
        Result r = b(WpSgd.Mode.WPSGD, 4, 2).shares("3:0").epochs(1).checkpointEvery(100).build().solve(P);
        long[] cp = (long[]) r.extras().get("checkpointUpdates");
        assertArrayEquals(new long[] {0, 100, 200, 300, 400}, cp);
        assertEquals(cp.length, r.trace().points().size());
        assertEquals(4, r.epochs());
    }

    // ---- failures and validation ----

    @Test
    void aFailingWorkerEndsTheRunWithItsException() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            WpSgd s = b(WpSgd.Mode.WPSGD, 4, 3).epochs(3).checkpointEvery(10).beforeSegment(i -> {
                if (i == 2) throw new IllegalStateException("boom on worker 2");
            }).build();
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> s.solve(P, quiet(P)));
            assertEquals("boom on worker 2", e.getCause().getMessage());
        });
    }

    @Test
    void sharesAreValidated() {
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, Shares.parse("0:0.5", 3));
        assertArrayEquals(new double[] {0, 0.5, 0.5}, Shares.parse("0:0", 3));
        assertEquals("--shares: cannot read '3:0.1': expected a worker id in 0..2 (the run has 3 workers)",
                assertThrows(IllegalArgumentException.class, () -> Shares.parse("3:0.1", 3)).getMessage());
        assertEquals("--shares: cannot read '1:1.5': expected a fraction in [0, 1]",
                assertThrows(IllegalArgumentException.class, () -> Shares.parse("1:1.5", 3)).getMessage());
        assertEquals("--shares: the fractions sum to 1.2, expected at most 1",
                assertThrows(IllegalArgumentException.class, () -> Shares.parse("0:0.6,1:0.6", 3)).getMessage());
        assertEquals("--shares: every worker is named, so the fractions must sum to 1, got 0.9",
                assertThrows(IllegalArgumentException.class, () -> Shares.parse("0:0.5,1:0.4", 2)).getMessage());
        assertEquals("--shares: every worker is named, so the fractions must sum to 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Shares.parse("0:0,1:0", 2)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shares.parse("0=0.5", 2)).getMessage().contains("i:fraction"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shares.parse("0:0.2,0:0.3", 2)).getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shares.parse("x:0.2", 2)).getMessage().contains("worker id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SimuParallelSgd.builder().workers(3).shares("1:0").build())
                .getMessage().contains("simuparallel"));
        int[] c = Shares.rowCounts(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, 100);
        assertArrayEquals(new int[] {34, 33, 33}, c);
    }

    @Test
    void cliOptionsReachTheSolver() {
        SolverOptions o = SolverOptions.builder().threads(2).workers(4).r(0.999).span(100).shares("3:0").seed(5L).step(0.1).build();
        WpSgd s = (WpSgd) Solvers.byName("wpsgd", o);
        assertEquals(4, s.workers());
        assertTrue(s.toString().contains("r=0.999") && s.toString().contains("span=100"), s.toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Solvers.byName("simuparallel",
                SolverOptions.builder().r(0.9).build())).getMessage().contains("no option r"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Solvers.byName("average-directly",
                SolverOptions.builder().tau(3).build())).getMessage().contains("tau"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Solvers.byName("wpsgd",
                SolverOptions.builder().r(1.5).build())).getMessage().contains("r must be in (0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Solvers.byName("wpsgd", SolverOptions.defaults())
                .solve(P)).getMessage().contains("explicit step"));
        assertEquals("average-directly", Solvers.byName("average-directly", SolverOptions.builder().workers(2).build()).name());
    }
}
