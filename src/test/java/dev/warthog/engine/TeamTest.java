package dev.warthog.engine;

import dev.warthog.objective.Blocks;
import dev.warthog.sync.Aggregation;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

class TeamTest {
    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void everyWorkerRunsEveryRegionAndSeesTheCallersWrites(Team.Wait wait) {
        for (int w = 1; w <= 4; w++) {
            long[] box = new long[1];
            AtomicIntegerArray seen = new AtomicIntegerArray(w);
            try (Team team = Team.start(w, wait)) {
                for (int r = 1; r <= 500; r++) {
                    box[0] = r;   // plain write by the caller between regions
                    final int round = r;
                    team.run(id -> { if (box[0] == round) seen.incrementAndGet(id); });
                }
            }
            for (int i = 0; i < w; i++) assertEquals(500, seen.get(i), "worker " + i + " of " + w);
        }
    }

    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void aFailingWorkerEndsTheRegionWithItsException(Team.Wait wait) {
        try (Team team = Team.start(3, wait)) {
            team.run(id -> {});
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> team.run(id -> {
                if (id == 2) throw new IllegalStateException("boom");
                while (!team.stopRequested()) Thread.onSpinWait();
            }));
            assertEquals(2, e.worker());
            assertEquals("boom", e.getCause().getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void syncSplitsARegionIntoPhasesThatSeeEachOthersWrites(Team.Wait wait) {
        // each phase every worker writes its slot, syncs, and reads every slot: all of this phase's values,
        // never the last phase's (a stale read after the in-region barrier)
        for (int w = 1; w <= 4; w++) {
            final int size = w;
            long[] slots = new long[size * 8];
            AtomicInteger stale = new AtomicInteger();
            try (Team team = Team.start(size, wait)) {
                for (int region = 0; region < 3; region++) {
                    final int base = region * 1000;
                    team.run(id -> {
                        for (int phase = 1; phase <= 300; phase++) {
                            slots[id * 8] = base + phase;
                            assertTrue(team.sync(id));
                            for (int i = 0; i < size; i++) if (slots[i * 8] != base + phase) stale.incrementAndGet();
                            assertTrue(team.sync(id));   // nobody overwrites a slot another still reads
                        }
                    });
                }
                // 600 crossings of sync per worker: their waits are counted as waiting, the rest as compute
                if (size > 1) for (int i = 0; i < size; i++)
                    assertTrue(team.waitNanos(i) > 0 && team.computeNanos(i) > 0, "worker " + i + " of " + size);
            }
            assertEquals(0, stale.get(), size + " workers");
        }
    }

    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void aFailingTaskReleasesTheWorkersWaitingAtSync(Team.Wait wait) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int failing = 0; failing < 3; failing++) {
                final int bad = failing;
                AtomicInteger released = new AtomicInteger();
                try (Team team = Team.start(3, wait)) {
                    WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> team.run(id -> {
                        for (int phase = 0; ; phase++) {
                            if (id == bad && phase == 5) throw new Injected("phase 5");
                            if (!team.sync(id)) { released.incrementAndGet(); return; }
                        }
                    }));
                    assertEquals(bad, e.worker());
                    assertEquals("phase 5", e.getCause().getMessage());
                    assertEquals(2, released.get(), "both other workers got false from sync");
                    assertThrows(IllegalStateException.class, () -> team.run(id -> {}), "a failed team runs no more regions");
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void requestStopBreaksSync(Team.Wait wait) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            AtomicInteger falses = new AtomicInteger();
            try (Team team = Team.start(2, wait)) {
                team.run(id -> {
                    if (id == 1) { team.requestStop(); return; }   // worker 1 leaves without syncing
                    if (!team.sync(id)) falses.incrementAndGet();
                });
            }
            assertEquals(1, falses.get());
        });
    }

    @ParameterizedTest
    @EnumSource(Aggregation.class)
    void aggregationsGiveTheSerialTreeBitForBit(Aggregation agg) {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int count : new int[]{1, 2, 3, 5, 8, 13, 64}) {
            for (int dim : new int[]{1, 7, 33, 1000}) {
                double[][] ref = new double[count][dim];
                for (double[] p : ref) for (int j = 0; j < dim; j++) p[j] = rnd.nextDouble(-1e3, 1e3) * Math.pow(10, rnd.nextInt(-8, 8));
                double[][] want = deepCopy(ref);
                Blocks.treeReduce(want, count, 0, dim);
                for (int w = 1; w <= 4; w++) {
                    double[][] parts = deepCopy(ref);
                    double[] got;
                    try (Team team = Team.start(w, Team.Wait.SPIN)) { got = agg.reduce(team, parts, count, dim); }
                    for (int j = 0; j < dim; j++)
                        assertEquals(Double.doubleToRawLongBits(want[0][j]), Double.doubleToRawLongBits(got[j]),
                                agg + " count " + count + " dim " + dim + " threads " + w + " coord " + j);
                }
            }
        }
    }

    /**
     * Workers that first add the subtrees inside their own blocks, then {@link Aggregation#reduceAcross}:
     * the bits of the serial tree for uneven block ranges (ceil(i B / W) as ParallelGradient cuts
     * them, and ranges that are empty when W > B).
     */
    @ParameterizedTest
    @EnumSource(Aggregation.class)
    void precombinedAggregationsGiveTheSerialTreeBitForBit(Aggregation agg) {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int count : new int[]{1, 2, 3, 5, 8, 13, 64}) {
            int dim = 37;
            double[][] ref = new double[count][dim];
            for (double[] p : ref) for (int j = 0; j < dim; j++) p[j] = rnd.nextDouble(-1e3, 1e3) * Math.pow(10, rnd.nextInt(-8, 8));
            double[][] want = deepCopy(ref);
            Blocks.treeReduce(want, count, 0, dim);
            for (int w = 1; w <= 5; w++) {
                int[] bounds = new int[w + 1];
                for (int i = 0; i <= w; i++) bounds[i] = (int) (((long) i * count + w - 1) / w);
                double[][] parts = deepCopy(ref);
                if (agg.precombines())
                    for (int i = 0; i < w; i++) Blocks.treeReduceInside(parts, count, bounds[i], bounds[i + 1], 0, dim);
                double[] got;
                try (Team team = Team.start(w, Team.Wait.SPIN)) { got = agg.reduceAcross(team, parts, count, dim, Blocks.Nodes.across(count, bounds)); }
                for (int j = 0; j < dim; j++)
                    assertEquals(Double.doubleToRawLongBits(want[0][j]), Double.doubleToRawLongBits(got[j]),
                            agg + " count " + count + " threads " + w + " coord " + j);
            }
        }
    }

    /** A worker's inside nodes never touch a partial outside its blocks. */
    @Test
    void insideNodesStayInsideTheirBlocks() {
        int count = 13, dim = 3;
        double[][] parts = new double[count][dim];
        for (double[] p : parts) java.util.Arrays.fill(p, 1);
        Blocks.treeReduceInside(parts, count, 3, 9, 0, dim);
        // blocks 3..8: nodes (4,1), (6,1), then (4,2) = blocks 4..7; not (2,1) = 2..3 nor (8,1) = 8..9
        double[] col = new double[count];
        for (int i = 0; i < count; i++) col[i] = parts[i][0];
        assertArrayEquals(new double[] {1, 1, 1, 1, 4, 1, 2, 1, 1, 1, 1, 1, 1}, col, java.util.Arrays.toString(col));
    }

    /** Nodes across the ranges, counted by hand from the tree's definition. */
    @Test
    void nodesAcrossAreTheNodesThatStraddleABoundary() {
        assertEquals(1, Blocks.Nodes.across(64, new int[] {0, 32, 64}).size());   // the root only
        assertEquals(0, Blocks.Nodes.across(64, new int[] {0, 64}).size());
        // 13 blocks over {0..4}, {5..8}, {9..12}: levels 1, 2, 4 have two each ([4,6) [8,10); [4,8) [8,12);
        // [0,8) [8,13)), level 8 the root
        Blocks.Nodes n = Blocks.Nodes.across(13, new int[] {0, 5, 9, 13});
        assertEquals(7, n.size());
        assertEquals(4, n.levels());
        int[][] want = {{4, 8}, {4, 8}, {0, 8}, {0}};
        for (int l = 0; l < 4; l++) {
            int[] got = new int[n.count(l)];
            for (int k = 0; k < got.length; k++) got[k] = n.start(l, k);
            assertArrayEquals(want[l], got, "level " + l);
        }
        // a pairwise tree over B parts has B - 1 nodes
        for (int count : new int[] {1, 2, 3, 13, 64}) assertEquals(count - 1, Blocks.Nodes.all(count).size(), "count " + count);
    }

    static final class Injected extends RuntimeException {
        Injected(String m) { super(m); }
    }

    /** The team threads alive now (they are named warthog-team-i). */
    private static Set<Thread> teamThreads() {
        Set<Thread> s = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("warthog-team-") && t.isAlive()) s.add(t);
        return s;
    }

    /**
     * Faults at random points (a random worker incl. the caller, region, exception or Error,
     * while the other workers run short tasks or poll the stop flag): every run ends promptly
     * with the injected throwable, the team refuses further regions, and close() ends every
     * team thread.
     */
    @RepeatedTest(40)
    void aFaultAnywhereReachesTheCallerAndNoThreadHangs(RepetitionInfo info) {
        SplittableRandom rnd = new SplittableRandom(info.getCurrentRepetition() * 131L);
        int threads = 1 + rnd.nextInt(4);
        Team.Wait wait = Team.Wait.values()[rnd.nextInt(2)];
        int badWorker = rnd.nextInt(threads), badRegion = 1 + rnd.nextInt(20);
        boolean error = rnd.nextInt(4) == 0, othersPoll = rnd.nextBoolean();
        String msg = "injected at worker " + badWorker + ", region " + badRegion + " of " + threads + " " + wait;
        Set<Thread> before = teamThreads();
        AtomicInteger regionsDone = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Team team = Team.start(threads, wait);
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> {
                for (int region = 1; ; region++) {
                    final int r = region;
                    team.run(id -> {
                        if (id == badWorker && r == badRegion) {
                            if (error) throw new AssertionError(msg);
                            throw new Injected(msg);
                        }
                        if (othersPoll && r == badRegion) while (!team.stopRequested()) Thread.onSpinWait();
                    });
                    regionsDone.incrementAndGet();
                }
            }, msg);
            assertEquals(badWorker, e.worker(), msg);
            assertEquals(error ? AssertionError.class : Injected.class, e.getCause().getClass(), msg);
            assertEquals(msg, e.getCause().getMessage());
            assertTrue(team.stopRequested());
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> team.run(id -> {}));
            assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
            team.close();
        }, msg);
        assertEquals(badRegion - 1, regionsDone.get(), msg);
        Set<Thread> mine = teamThreads();
        mine.removeAll(before);
        assertEquals(Set.of(), mine, "team threads still alive after close: " + msg);
    }

    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void closeAfterAFailureAndTwiceReturnsAndLaterRunsAreRefused(Team.Wait wait) {
        Set<Thread> before = teamThreads();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Team team = Team.start(3, wait);
            assertThrows(WorkerFailedException.class, () -> team.run(id -> { if (id == 1) throw new Injected("x"); }));
            team.close();
            team.close();   // idempotent
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(id -> {}));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            Team healthy = Team.start(2, wait);
            healthy.run(id -> {});
            healthy.close();
            healthy.close();
        });
        Set<Thread> mine = teamThreads();
        mine.removeAll(before);
        assertEquals(Set.of(), mine);
    }

    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void anErrorInAWorkerThreadReachesTheCaller(Team.Wait wait) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Team team = Team.start(2, wait)) {
                WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> team.run(id -> {
                    if (id == 1) throw new StackOverflowError("deep");
                }));
                assertEquals(1, e.worker());
                assertInstanceOf(StackOverflowError.class, e.getCause());
                assertEquals("deep", e.getCause().getMessage());
            }
        });
    }

    /**
     * A worker thread that dies outside any task (an Error between the start barrier and its
     * task, the worker loop's own catch) breaks both barriers: the caller either sees the start
     * barrier broken and skips its task, or runs it and is released from sync with false; the
     * region ends with that Error, the healthy third worker leaves, and close() ends every
     * team thread.
     */
    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void aWorkerThreadFailingOutsideATaskEndsTheRegionAndReleasesSync(Team.Wait wait) {
        Set<Thread> before = teamThreads();
        AtomicIntegerArray tasksRun = new AtomicIntegerArray(3);
        Boolean[] callerSync = new Boolean[1];   // null: the caller's third task did not run
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            AtomicInteger starts = new AtomicInteger();
            Team team = Team.startWithProbe(3, wait, id -> {
                // worker 1 dies at the start of the third region
                if (id == 1 && starts.incrementAndGet() == 3) throw new OutOfMemoryError("outside the task");
            });
            for (int r = 0; r < 2; r++) team.run(id -> tasksRun.incrementAndGet(id));
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> team.run(id -> {
                tasksRun.incrementAndGet(id);
                if (id == 0) callerSync[0] = team.sync(0);
            }));
            assertEquals(1, e.worker());
            assertInstanceOf(OutOfMemoryError.class, e.getCause());
            assertEquals("outside the task", e.getCause().getMessage());
            assertTrue(team.stopRequested());
            assertThrows(IllegalStateException.class, () -> team.run(id -> {}));
            team.close();
        });
        if (tasksRun.get(0) == 3) assertEquals(Boolean.FALSE, callerSync[0], "sync must report the broken region");
        else assertEquals(2, tasksRun.get(0));
        assertEquals(2, tasksRun.get(1), "worker 1 died before its third task");
        Set<Thread> mine = teamThreads();
        mine.removeAll(before);
        assertEquals(Set.of(), mine, "team threads still alive after close");
    }

    @Test
    void theFirstFailureWinsWhenSeveralWorkersFail() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Team team = Team.start(3, Team.Wait.SPIN)) {
                WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> team.run(id -> {
                    throw new Injected("worker " + id);
                }));
                assertEquals("worker " + e.worker(), e.getCause().getMessage(), "the reported worker is the one whose exception is the cause");
            }
        });
    }

    @Test
    void aTeamNeedsAtLeastOneThread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Team.start(0, Team.Wait.SPIN));
        assertTrue(e.getMessage().contains("threads must be >= 1"), e.getMessage());
        assertEquals(List.of("phaser", "spin"), List.of(Team.Wait.PHASER.cliName(), Team.Wait.parse("spin").cliName()));
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> Team.Wait.parse("busy"));
        assertTrue(b.getMessage().contains("expected phaser or spin"), b.getMessage());
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] b = new double[a.length][];
        for (int i = 0; i < a.length; i++) b[i] = a[i].clone();
        return b;
    }
}
