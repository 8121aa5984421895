package dev.warthog.sync;

import dev.warthog.data.Dataset;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.Team;
import dev.warthog.engine.WorkerFailedException;
import dev.warthog.gen.Generators;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.GradientDescent;
import dev.warthog.solver.Result;
import dev.warthog.solver.SolverOptions;
import dev.warthog.solver.Solvers;
import dev.warthog.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static dev.warthog.testutil.Numerics.*;
import static org.junit.jupiter.api.Assertions.*;

/** Synchronous parallel GD/AGD (seed 000 section 2.3) and the blocked deterministic full gradient. */
class ParallelGdTest {
    static final Dataset HEART = TestData.heartScale();

    /** 150 x 12 logistic data with a third of the entries zeroed (so the sparse form is sparse). */
    static Dataset small(boolean sparse) {
        Dataset d = Generators.dense(150, 12, 30, 0.3, 2, true, 11);
        double[] x = d.values().clone();
        for (int k = 0; k < x.length; k += 3) x[k] = 0;
        Dataset dd = Dataset.dense(150, 12, x, d.labels(), "small");
        return sparse ? dd.toSparse() : dd;
    }

    /** The textbook gradient: left-to-right over rows, plain loops, Loss.value/derivative. */
    static double naiveGradient(Problem p, double[] w, double[] g) {
        Dataset d = p.data().toDense();
        int n = d.rows(), dim = d.cols();
        java.util.Arrays.fill(g, 0);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double m = 0;
            for (int j = 0; j < dim; j++) m += d.values()[i * dim + j] * w[j];
            s += p.loss().value(m, d.label(i));
            double dl = p.loss().derivative(m, d.label(i));
            for (int j = 0; j < dim; j++) g[j] += dl * d.values()[i * dim + j];
        }
        double sq = 0, abs = 0;
        for (int j = 0; j < dim; j++) { g[j] = g[j] / n + p.l2() * w[j]; sq += w[j] * w[j]; abs += Math.abs(w[j]); }
        return s / n + 0.5 * p.l2() * sq + p.l1() * abs;
    }

    @Test
    void blockedGradientIsTheTextbookGradient() {
        for (Loss loss : new Loss[] {Loss.LOGISTIC, Loss.SQUARED, Loss.SMOOTH_HINGE}) {
            for (boolean sparse : new boolean[] {false, true}) {
                Problem p = Problem.of(small(sparse), loss, 0.02, 0.01);
                double[] w = new SplittableRandom(5).doubles(12, -1, 1).toArray();
                double[] want = new double[12], got = new double[12];
                double fWant = naiveGradient(p, w, want);
                for (int blocks : new int[] {1, 2, 7, p.defaultBlocks(), 150}) {
                    double f = p.gradient(w, got, blocks);
                    assertEquals(fWant, f, 1e-13 * Math.abs(fWant), loss + " blocks " + blocks);
                    assertTrue(maxAbsDiff(want, got) < 1e-13 * Math.max(1, maxAbs(want)), loss + " blocks " + blocks);
                }
            }
        }
    }

    /**
     * The bits of the blocked sum, written out plainly: per block a zeroed partial, then the
     * rows in Problem's order with Loss.value/derivative (the logistic loss: the kernels'
     * logistic term, for every row) and single-row axpys, then the fixed tree. Sparse rows go one by one in row order (an axpy skipped when the derivative is 0).
     * Dense blocks go in four streams: the first 4q rows (q = rows / 4) as steps of rows r,
     * r+q, r+2q, r+3q, margins from the kernel's dot4, then four axpys in that order unless
     * all four derivatives are 0; then the last rows % 4 one by one. Problem.gradient's
     * four-row axpy and shared exp must not change a bit. The hinge loss has many zero
     * derivatives.
     */
    @Test
    void blockedGradientHasTheBitsOfRowByRowAxpys() {
        dev.warthog.kernel.VectorKernels k = dev.warthog.kernel.Kernels.get();
        for (Loss loss : Loss.values()) {
            for (boolean sparse : new boolean[] {false, true}) {
                Problem p = Problem.of(small(sparse), loss, 0.02, 0);
                double[] w = new SplittableRandom(5).doubles(12, -1, 1).toArray();
                double[] x = p.data().values(), y = p.data().labels();
                for (int blocks : new int[] {1, 3, p.defaultBlocks()}) {
                    double[][] parts = new double[blocks][12];
                    double[] sums = new double[blocks];
                    dev.warthog.data.Row r = new dev.warthog.data.Row();
                    for (int b = 0; b < blocks; b++) {
                        int from = dev.warthog.objective.Blocks.start(b, blocks, 150);
                        int to = dev.warthog.objective.Blocks.start(b + 1, blocks, 150);
                        int q = sparse ? 0 : (to - from) / 4;
                        for (int i = from; i < from + q; i++) {
                            int[] rows = {i, i + q, i + 2 * q, i + 3 * q};
                            double[] m = new double[4], dl = new double[4];
                            k.dot4(x, rows[0] * 12, rows[1] * 12, rows[2] * 12, rows[3] * 12, w, 12, m);
                            if (loss == Loss.LOGISTIC) {
                                // the logistic terms of four rows go through the vector kernel
                                double[] yq = {y[rows[0]], y[rows[1]], y[rows[2]], y[rows[3]]}, lv = new double[4];
                                k.logistic(m, yq, 4, dl, lv);
                                for (int z = 0; z < 4; z++) sums[b] += lv[z];
                            } else {
                                for (int z = 0; z < 4; z++) {
                                    sums[b] += loss.value(m[z], y[rows[z]]);
                                    dl[z] = loss.derivative(m[z], y[rows[z]]);
                                }
                            }
                            if (dl[0] != 0 || dl[1] != 0 || dl[2] != 0 || dl[3] != 0)
                                for (int z = 0; z < 4; z++) k.axpy(dl[z], x, rows[z] * 12, parts[b], 0, 12);
                        }
                        for (int i = from + 4 * q; i < to; i++) {
                            p.data().row(i, r);
                            double m = dev.warthog.kernel.Kernels.dot(r, w);
                            double dl;
                            if (loss == Loss.LOGISTIC) {
                                double[] lv = new double[1], d1 = new double[1];
                                k.logistic(new double[] {m}, new double[] {r.label}, 1, d1, lv);
                                sums[b] += lv[0];
                                dl = d1[0];
                            } else {
                                sums[b] += loss.value(m, r.label);
                                dl = loss.derivative(m, r.label);
                            }
                            if (dl != 0) dev.warthog.kernel.Kernels.axpy(dl, r, parts[b]);
                        }
                    }
                    dev.warthog.objective.Blocks.treeReduce(parts, blocks, 0, 12);
                    double fWant = dev.warthog.objective.Blocks.treeSum(sums, blocks) / 150 + p.penalty(w);
                    double[] want = new double[12];
                    for (int j = 0; j < 12; j++) want[j] = parts[0][j] * (1.0 / 150) + 0.02 * w[j];
                    double[] g = new double[12];
                    double f = p.gradient(w, g, blocks);
                    String what = loss + (sparse ? " sparse" : " dense") + " blocks " + blocks;
                    assertBitsEqual(want, g, what);
                    assertEquals(fWant, f, 1e-15 * Math.abs(fWant), what);   // the penalty is summed in another order
                    // and, independently of the kernels, the textbook gradient with Loss's value/derivative (Math.exp)
                    double[] plain = new double[12];
                    double fPlain = 0;
                    for (int i = 0; i < 150; i++) {
                        p.data().row(i, r);
                        double m = dev.warthog.kernel.Kernels.dot(r, w);
                        fPlain += loss.value(m, r.label);
                        dev.warthog.kernel.Kernels.axpy(loss.derivative(m, r.label), r, plain);
                    }
                    for (int j = 0; j < 12; j++) assertEquals(plain[j] / 150 + 0.02 * w[j], g[j], 1e-13, what + " coordinate " + j);
                    assertEquals(fPlain / 150 + p.penalty(w), f, 1e-13, what);
                }
            }
        }
    }

    /** The read-ceiling pass reads every row once: its sum is sum_i x_i.w, for any threads and blocks. */
    @Test
    void readPassSumsEveryMargin() {
        for (boolean sparse : new boolean[] {false, true}) {
            Problem p = Problem.of(small(sparse), Loss.LOGISTIC, 1e-2, 0);
            double[] w = new SplittableRandom(8).doubles(12, -1, 1).toArray();
            Dataset d = p.data().toDense();
            double want = 0, abs = 0;
            for (int i = 0; i < 150; i++)
                for (int j = 0; j < 12; j++) {
                    want += d.values()[i * 12 + j] * w[j];
                    abs += Math.abs(d.values()[i * 12 + j] * w[j]);
                }
            for (int t = 1; t <= 3; t++)
                for (Integer blocks : new Integer[] {null, 1, 7})
                    try (ParallelGradient pg = new ParallelGradient(p, t, Aggregation.SLICED, Team.Wait.SPIN, blocks, null, 0)) {
                        assertEquals(want, pg.readPass(w), 1e-13 * abs, "threads " + t + " blocks " + blocks);
                    }
        }
    }

    /**
     * Wide data (d = 9000 > ParallelGradient.COMBINE_IN_REGION_MAX): the nodes across workers
     * run in their own aggregation region rather than in the last worker; the bits still are
     * the serial ones for every thread count and aggregation.
     */
    @Test
    void wideDataAggregatesInARegionWithTheSerialBits() {
        Dataset d = Generators.analog(300, 9000, 3);
        Problem p = Problem.of(d, Loss.LOGISTIC, 1e-3, 0);
        double[] w = new SplittableRandom(2).doubles(9000, -1, 1).toArray();
        double[] want = new double[9000];
        double fWant = p.gradient(w, want);
        for (int t = 2; t <= 4; t++)
            for (Aggregation agg : Aggregation.values())
                try (ParallelGradient pg = new ParallelGradient(p, t, agg, Team.Wait.SPIN, null, null, 0)) {
                    double[] g = new double[9000];
                    assertEquals(Double.doubleToRawLongBits(fWant), Double.doubleToRawLongBits(pg.gradient(w, g)));
                    assertBitsEqual(want, g, agg + " threads " + t);
                }
    }

    @Test
    void axpy4HasTheBitsOfFourAxpys() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (dev.warthog.kernel.VectorKernels k : new dev.warthog.kernel.VectorKernels[] {
                dev.warthog.kernel.Kernels.get(), dev.warthog.kernel.Kernels.scalar()}) {
            for (int n : new int[] {1, 3, 4, 7, 16, 33, 256, 1001}) {
                double[] x = rnd.doubles(4 * n + 5, -1, 1).toArray();
                double[] y0 = rnd.doubles(n, -1e3, 1e3).toArray(), y1 = y0.clone();
                double[] a = rnd.doubles(4, -2, 2).toArray();
                int[] o = {5, 5 + n, 5 + 2 * n, 5 + 3 * n};
                for (int q = 0; q < 4; q++) k.axpy(a[q], x, o[q], y0, 0, n);
                k.axpy4(a[0], o[0], a[1], o[1], a[2], o[2], a[3], o[3], x, y1, n);
                assertBitsEqual(y0, y1, k.name() + " n " + n);
            }
        }
    }

    @Test
    void parallelGradientHasTheSerialBitsForAnyThreadsAggregationAndBarrier() {
        for (boolean sparse : new boolean[] {false, true}) {
            Problem p = Problem.of(small(sparse), Loss.LOGISTIC, 1e-2, 0);
            double[] w = new SplittableRandom(9).doubles(12, -1, 1).toArray();
            for (Integer blocks : new Integer[] {null, 1, 5, 13}) {
                int b = blocks == null ? p.defaultBlocks() : blocks;
                double[] want = new double[12];
                double fWant = blocks == null ? p.gradient(w, want) : p.gradient(w, want, b);
                for (int t = 1; t <= 4; t++)
                    for (Aggregation agg : Aggregation.values())
                        for (Team.Wait wait : Team.Wait.values())
                            try (ParallelGradient pg = new ParallelGradient(p, t, agg, wait, blocks, null, 0)) {
                                assertEquals(b, pg.blocks());
                                for (int rep = 0; rep < 3; rep++) {   // buffers are reused: repeat
                                    double[] g = new double[12];
                                    String what = (sparse ? "sparse" : "dense") + " " + pg + " rep " + rep;
                                    assertEquals(Double.doubleToRawLongBits(fWant), Double.doubleToRawLongBits(pg.gradient(w, g)), what);
                                    assertBitsEqual(want, g, what);
                                }
                                assertEquals(3, pg.calls());
                            }
            }
        }
    }

    @Test
    void theSerialGradientsReusedBuffersCarryNothingOver() {
        // the per-thread block partials are reused between calls: another problem of the same
        // shape in between, or a NaN pass, must not change the next result's bits
        Problem p = Problem.of(small(false), Loss.LOGISTIC, 1e-2, 0), q = Problem.of(small(true), Loss.SQUARED, 1e-2, 0);
        double[] w = new SplittableRandom(6).doubles(12, -1, 1).toArray(), nan = w.clone();
        nan[3] = Double.NaN;
        double[] want = new double[12], g = new double[12], other = new double[12];
        double f = p.gradient(w, want, 5);
        q.gradient(w, other, 5);
        p.gradient(nan, other, 5);
        assertTrue(Double.isNaN(other[0]));
        assertEquals(Double.doubleToRawLongBits(f), Double.doubleToRawLongBits(p.gradient(w, g, 5)));
        assertBitsEqual(want, g, "after other calls on this thread");
    }

    @Test
    void theGradientWithoutTheLossHasTheSameBits() {
        for (Loss loss : Loss.values()) {
            for (boolean sparse : new boolean[] {false, true}) {
                Problem p = Problem.of(small(sparse), loss, 1e-2, 0);
                double[] w = new SplittableRandom(4).doubles(12, -1, 1).toArray();
                double[] want = new double[12], g = new double[12];
                double f = p.gradient(w, want, 5, true);
                assertTrue(Double.isFinite(f));
                assertTrue(Double.isNaN(p.gradient(w, g, 5, false)), "no loss computed: NaN, not a stale F");
                assertBitsEqual(want, g, loss + " serial");
                for (int t = 1; t <= 3; t++)
                    try (ParallelGradient pg = new ParallelGradient(p, t, Aggregation.SLICED, Team.Wait.SPIN, 5, null, 0)) {
                        double[] h = new double[12];
                        assertTrue(Double.isNaN(pg.gradient(w, h, false)));
                        assertBitsEqual(want, h, loss + " " + pg + " without the loss");
                        assertEquals(Double.doubleToRawLongBits(f), Double.doubleToRawLongBits(pg.gradient(w, h, true)), "then with it");
                    }
            }
        }
    }

    /** Configurations of gd/agd: plain, momentum, l1 prox, backtracking, both. */
    record Config(String name, double l1, Supplier<GradientDescent.Builder> builder) {
        @Override public String toString() { return name; }
    }

    static Config[] configs() {
        return new Config[] {
                new Config("gd", 0, () -> GradientDescent.gd()),
                new Config("agd", 0, () -> GradientDescent.agd()),
                new Config("agd l1", 3e-3, () -> GradientDescent.agd()),
                new Config("gd backtracking l1", 3e-3, () -> GradientDescent.gd().backtracking(true)),
                new Config("agd backtracking", 0, () -> GradientDescent.agd().backtracking(true)),
        };
    }

    @Test
    void iteratesAreBitIdenticalForOneToFourThreadsEveryAggregationAndBarrier() {
        for (boolean sparse : new boolean[] {false, true}) {
            for (Config c : configs()) {
                Problem p = Problem.of(small(sparse), Loss.LOGISTIC, 1e-2, c.l1());
                Result serial = c.builder().get().maxIterations(20).tolerance(0).build().solve(p, quiet(p));
                assertEquals(1, serial.threads());
                assertEquals(20, serial.extras().get("iterations"));
                boolean full = c.name().equals("agd") || c.name().equals("gd backtracking l1");
                for (int t = 1; t <= 4; t++)
                    for (Aggregation agg : Aggregation.values())
                        for (Team.Wait wait : Team.Wait.values()) {
                            // every combination for two configurations, a diagonal for the others
                            if (!full && (agg.ordinal() + wait.ordinal() + t) % 3 != 0) continue;
                            // more spinning threads than this machine's 2 cores is slow: one such case
                            if (t > 2 && wait == Team.Wait.SPIN && !(t == 3 && agg == Aggregation.TREE)) continue;
                            Result r = c.builder().get().maxIterations(20).tolerance(0)
                                    .threads(t).aggregation(agg).barrier(wait).build().solve(p, quiet(p));
                            String what = (sparse ? "sparse " : "dense ") + c + " threads " + t + " " + agg + " " + wait;
                            assertBitsEqual(serial.weights(), r.weights(), what);
                            assertEquals(t, r.threads(), what);
                            assertEquals(agg.cliName(), r.extras().get("aggregate"));
                            assertEquals(t, ((double[]) r.extras().get("workerBarrierSeconds")).length);
                            assertTrue((double) r.extras().get("computeSeconds") > 0, what);
                        }
                if (c.l1() > 0) assertTrue(java.util.Arrays.stream(serial.weights()).anyMatch(x -> x == 0), "the l1 prox zeroes some weights");
            }
        }
    }

    @Test
    void anExplicitBlockCountGivesTheSameBitsAtEveryThreadCount() {
        Problem p = Problem.of(small(true), Loss.SQUARED, 1e-2, 0);
        Result serial = GradientDescent.agd().maxIterations(20).tolerance(0).blocks(6).build().solve(p, quiet(p));
        for (int t = 2; t <= 4; t++) {
            Result r = GradientDescent.agd().maxIterations(20).tolerance(0).blocks(6).threads(t).build().solve(p, quiet(p));
            assertBitsEqual(serial.weights(), r.weights(), "blocks 6, threads " + t);
            assertEquals(6, r.extras().get("blocks"));
        }
        assertThrows(IllegalArgumentException.class,
                () -> GradientDescent.agd().blocks(151).threads(2).build().solve(p, quiet(p)), "more blocks than rows");
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void everyLossGivesTheSerialBits(Loss loss) {
        Problem p = Problem.of(small(false), loss, 1e-2, 0);
        GradientDescent.Builder b = (loss == Loss.HINGE ? GradientDescent.agd().step(0.05) : GradientDescent.agd())
                .maxIterations(15).tolerance(0);
        Result serial = b.build().solve(p, quiet(p));
        Result par = b.threads(3).aggregation(Aggregation.TREE).build().solve(p, quiet(p));
        assertBitsEqual(serial.weights(), par.weights(), loss.cliName());
    }

    /** seed 000 section 2.3 on heart_scale: the LIBLINEAR reference optimum (shared/data/README.md) at any thread count. */
    @Test
    void heartScaleGdAndAgdReachTheReferenceOptimumAtOneToFourThreads() {
        // gd on the better-conditioned lam = 1e-2 only (it needs ~kappa iterations); tolerance 1e-8 on the
        // gradient norm leaves an objective gap ~ ||g||^2 / (2 lam) far below 1e-9 relative
        Object[][] cases = {{"agd", 1e-3, 0.355646692412}, {"agd", 1e-2, 0.378775243339}, {"gd", 1e-2, 0.378775243339}};
        for (Object[] c : cases) {
            String algo = (String) c[0];
            double lam = (double) c[1], fStar = (double) c[2];
            Problem p = Problem.of(HEART, Loss.LOGISTIC, lam, 0);
            {
                double[] first = null;
                for (int t = 1; t <= 4; t++) {
                    SolverOptions o = SolverOptions.builder().threads(t).iterations(100_000).tolerance(1e-8)
                            .barrier(t > 2 ? "phaser" : "spin").build();   // more threads than cores here: park
                    Result r = Solvers.byName(algo, o).solve(p, quiet(p));
                    String what = algo + " lam " + lam + " threads " + t + ": " + r.objective() + " after " + r.epochs();
                    assertTrue(rel(r.objective(), fStar) < 1e-9, what);
                    assertTrue(r.epochs() < 100_000, what);
                    if (first == null) first = r.weights();
                    else assertBitsEqual(first, r.weights(), what);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void aWorkerThrowingMidIterationEndsTheRunWithItsException(Team.Wait wait) {
        Problem p = Problem.of(small(false), Loss.LOGISTIC, 1e-2, 0);
        int before = teamThreads();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (ParallelGradient pg = new ParallelGradient(p, 3, Aggregation.SLICED, wait, 12, null, 0)) {
                int victim = 9;   // block 9 of 12 belongs to worker floor(9 * 3 / 12) = 2
                int[] calls = {0};
                pg.blockHook(k -> {
                    if (k == 9 && ++calls[0] == 3) throw new IllegalStateException("injected in block " + k);
                });
                double[] w = new double[12], g = new double[12];
                pg.gradient(w, g);
                pg.gradient(w, g);
                WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> pg.gradient(w, g));
                assertEquals(2, e.worker());
                assertInstanceOf(IllegalStateException.class, e.getCause());
                assertEquals("injected in block " + victim, e.getCause().getMessage());
            }
        });
        assertEquals(before, teamThreads(), "close() joined every team thread");
    }

    @Test
    void aWorkerFailingInsideTheSolverReachesTheCaller() {
        // a corrupt column index in the last row (worker 1's blocks) makes that worker throw
        Dataset d = small(true).copyRows(0, 150);
        Problem p = Problem.of(d, Loss.LOGISTIC, 1e-2, 0);
        p.data().indices()[p.data().rowPtr()[149]] = 1_000_000;
        int before = teamThreads();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            WorkerFailedException e = assertThrows(WorkerFailedException.class,
                    () -> GradientDescent.agd().step(0.1).threads(2).build().solve(p, quiet(p)));
            assertEquals(1, e.worker());
            assertInstanceOf(ArrayIndexOutOfBoundsException.class, e.getCause());
        });
        assertEquals(before, teamThreads(), "the solver closed its team");
    }

    @Test
    void stragglersDelayTheRunButNotTheIterates() {
        Problem p = Problem.of(small(false), Loss.LOGISTIC, 1e-2, 0);
        Result serial = GradientDescent.agd().maxIterations(10).tolerance(0).build().solve(p, quiet(p));
        SolverOptions o = SolverOptions.builder().threads(2).iterations(10).tolerance(0.0)
                .stragglers(Stragglers.parse("1:3", "fixed:0.2", null)).build();
        Result r = Solvers.byName("agd", o).solve(p, quiet(p));
        assertBitsEqual(serial.weights(), r.weights(), "slowed worker 1");
        double[] paced = (double[]) r.extras().get("workerPacedSeconds");
        assertTrue(paced[0] > 0 && paced[1] > 0, "both workers were delayed: " + java.util.Arrays.toString(paced));
    }

    @Test
    void badOptionsAreRejectedWithClearMessages() {
        SolverOptions slow = SolverOptions.builder().threads(2).stragglers(Stragglers.parse("2:3", null, null)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName("agd", slow));
        assertTrue(e.getMessage().contains("worker 2") && e.getMessage().contains("2 workers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Solvers.byName("gd", SolverOptions.builder().aggregate("ring").build()));
        assertTrue(e.getMessage().contains("server, sliced or tree"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Solvers.byName("gd", SolverOptions.builder().barrier("mutex").build()));
        assertTrue(e.getMessage().contains("phaser or spin"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Solvers.byName("agd", SolverOptions.builder().form("model").build()));
        Problem p = Problem.of(small(false), Loss.LOGISTIC, 1e-2, 0);
        e = assertThrows(IllegalArgumentException.class, () -> new ParallelGradient(p, 2, Aggregation.TREE, Team.Wait.SPIN, 0, null, 0));
        assertTrue(e.getMessage().contains("blocks"), e.getMessage());
    }

    @Test
    void theSolverReportsTheParallelFigures() {
        Problem p = Problem.of(HEART, Loss.LOGISTIC, 1e-2, 0);
        Result r = Solvers.byName("agd", SolverOptions.builder().threads(2).aggregate("server").barrier("phaser")
                .iterations(50).tolerance(0.0).build()).solve(p, quiet(p));
        assertEquals(2, r.threads());
        assertEquals(50, r.extras().get("iterations"));
        assertEquals("server", r.extras().get("aggregate"));
        assertEquals("phaser", r.extras().get("barrier"));
        assertEquals(p.defaultBlocks(), r.extras().get("blocks"));
        for (String k : new String[] {"computeSeconds", "aggregateSeconds", "barrierSeconds"})
            assertTrue(r.extras().get(k) instanceof Double x && x >= 0, k);
        assertTrue(Solvers.byName("agd", SolverOptions.builder().threads(2).build()).toString().contains("threads=2"));
    }

    /**
     * Bit-identity across runs needs kernels whose bits do not change when C2 compiles them
     * (reduceLanes(ADD) did: the interpreter and the intrinsic add the lanes in other orders).
     */
    @Test
    void theDotKernelGivesTheSameBitsBeforeAndAfterCompilation() {
        double[] x = new SplittableRandom(3).doubles(150 * 12, -1, 1).toArray();
        double[] w = new SplittableRandom(1).doubles(12, -1, 1).toArray();
        long[] first = new long[150];
        for (int rep = 0; rep < 60_000; rep++) {
            int i = rep % 150;
            long bits = Double.doubleToRawLongBits(dev.warthog.kernel.Kernels.get().dot(x, 12 * i, w, 0, 12));
            if (rep < 150) first[i] = bits;
            else assertEquals(first[i], bits, "row " + i + " call " + rep);
        }
    }

    private static int teamThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("warthog-team")).count();
    }
}
