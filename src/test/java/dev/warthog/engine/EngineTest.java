package dev.warthog.engine;

import dev.warthog.data.Dataset;
import dev.warthog.data.RowSubset;
import dev.warthog.gen.Generators;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.trace.Tracker;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class EngineTest {
    static final Dataset DATA = Generators.analog(1000, 50, 3);
    static final Problem PROBLEM = Problem.of(DATA, Loss.LOGISTIC, 1e-3, 0);

    /** A worker that counts its steps and burns a little time per step. */
    static Worker counting(AtomicLong total, RowSubset part) {
        return new Worker() {
            @Override public void beginRound(int round) {}
            @Override public int stepsPerRound() { return part.size(); }
            @Override public void step(int k) { total.incrementAndGet(); }
        };
    }

    @Test
    void everyWorkerRunsEveryRoundOverItsPartition() {
        AtomicLong total = new AtomicLong();
        AtomicInteger coordinatorCalls = new AtomicInteger();
        Engine.Stats s = Engine.run(new Engine.Config(3, Partitioning.STRIDED, 7, 5), DATA.all(),
                (id, part, rnd) -> counting(total, part), round -> { coordinatorCalls.incrementAndGet(); return false; }, null);
        assertEquals(5, s.rounds());
        assertEquals(5, coordinatorCalls.get());
        assertEquals(5L * DATA.rows(), total.get());
        assertEquals(5L * DATA.rows(), s.totalSteps());
    }

    @Test
    void coordinatorSeesAllWorkOfTheRoundAndWorkersSeeTheCoordinatorsWrite() {
        int threads = 4, rounds = 50;
        long[] perWorker = new long[threads];          // plain writes by workers, read by the coordinator
        int[] published = new int[1];                   // plain write by the coordinator, read by workers
        AtomicInteger violations = new AtomicInteger();
        Engine.run(new Engine.Config(threads, Partitioning.CONTIGUOUS, 1, rounds), DATA.all(), (id, part, rnd) -> new Worker() {
            int round;
            @Override public void beginRound(int r) {
                round = r;
                if (published[0] != r - 1) violations.incrementAndGet();  // the coordinator's write of the last round
            }
            @Override public int stepsPerRound() { return 1; }
            @Override public void step(int k) { perWorker[id] = round; }
        }, round -> {
            for (long v : perWorker) if (v != round) violations.incrementAndGet();
            published[0] = round;
            return false;
        }, null);
        assertEquals(0, violations.get());
    }

    @ParameterizedTest
    @EnumSource(Partitioning.class)
    void partitionsCoverEveryRowOnceAsViews(Partitioning p) {
        for (int workers : new int[] {1, 2, 3, 7}) {
            RowSubset[] parts = p.split(DATA.all(), workers, 11);
            boolean[] seen = new boolean[DATA.rows()];
            int total = 0;
            for (RowSubset part : parts) {
                assertSame(DATA, part.data());
                assertTrue(Math.abs(part.size() - DATA.rows() / workers) <= 1);
                for (int k = 0; k < part.size(); k++) {
                    assertFalse(seen[part.rowId(k)], "row given twice");
                    seen[part.rowId(k)] = true;
                    total++;
                }
            }
            assertEquals(DATA.rows(), total);
        }
    }

    @Test
    void workerStreamsDependOnSeedAndIdOnly() {
        ConcurrentHashMap<Integer, Long> first2 = new ConcurrentHashMap<>(), first4 = new ConcurrentHashMap<>();
        for (int threads : new int[] {2, 4}) {
            var map = threads == 2 ? first2 : first4;
            Engine.run(new Engine.Config(threads, Partitioning.CONTIGUOUS, 99, 1), DATA.all(), (id, part, rnd) -> {
                map.put(id, rnd.nextLong());
                return counting(new AtomicLong(), part);
            }, r -> false, null);
        }
        assertEquals(first2.get(0), first4.get(0));
        assertEquals(first2.get(1), first4.get(1));
        assertEquals(new SplittableRandom(99).nextLong(), first2.get(0), "worker 0 replays the serial stream");
        assertNotEquals(first2.get(0), first2.get(1));
    }

    static final class Boom extends RuntimeException {
        Boom(String m) { super(m); }
    }

    /** Faults at random points (a random worker, round and step, or the coordinator): every run ends promptly with the fault. */
    @RepeatedTest(40)
    void aFailureAnywhereStopsEveryoneAndReachesTheCaller(org.junit.jupiter.api.RepetitionInfo info) {
        SplittableRandom rnd = new SplittableRandom(info.getCurrentRepetition() * 31L);
        int threads = 1 + rnd.nextInt(4);
        int badWorker = rnd.nextInt(threads + 1) - 1;  // -1: the coordinator fails
        int badRound = 1 + rnd.nextInt(3);
        int badStep = rnd.nextInt(DATA.rows() / threads);
        boolean inBegin = rnd.nextInt(5) == 0;
        String msg = "injected at " + badWorker + "/" + badRound + "/" + badStep;
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(RuntimeException.class, () ->
                Engine.run(new Engine.Config(threads, Partitioning.RANDOM, 5, 1000), DATA.all(), (id, part, r) -> new Worker() {
                    int round;
                    @Override public void beginRound(int rr) {
                        round = rr;
                        if (inBegin && id == badWorker && rr == badRound) throw new Boom(msg);
                    }
                    @Override public int stepsPerRound() { return part.size(); }
                    @Override public void step(int k) {
                        if (id == badWorker && round == badRound && k == badStep) throw new Boom(msg);
                        Thread.onSpinWait();
                    }
                }, round -> {
                    if (badWorker < 0 && round == badRound) throw new Boom(msg);
                    return false;
                }, null)));
        if (badWorker >= 0) {
            WorkerFailedException wf = assertInstanceOf(WorkerFailedException.class, t);
            assertEquals(badWorker, wf.worker());
            assertInstanceOf(Boom.class, wf.getCause());
            assertEquals(msg, wf.getCause().getMessage());
        } else {
            assertInstanceOf(Boom.class, t);
        }
        // no worker thread outlives the run
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            while (Thread.getAllStackTraces().keySet().stream().anyMatch(th -> th.getName().startsWith("warthog-worker-")))
                Thread.sleep(5);
        });
    }

    @Test
    void cancellationFromAnotherThreadEndsARoundEarly() {
        Tracker tracker = Tracker.of(PROBLEM);
        Thread canceller = new Thread(() -> {
            try { Thread.sleep(200); } catch (InterruptedException ignored) {}
            tracker.cancel();
        });
        canceller.start();
        Engine.Stats s = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                Engine.run(new Engine.Config(2, Partitioning.CONTIGUOUS, 1, 1), DATA.all(), (id, part, rnd) -> new Worker() {
                    @Override public void beginRound(int r) {}
                    @Override public int stepsPerRound() { return Integer.MAX_VALUE; }  // would never end by itself
                    @Override public void step(int k) { Thread.onSpinWait(); }
                }, r -> false, tracker));
        assertEquals(1, s.rounds());
        assertTrue(s.totalSteps() < 2L * Integer.MAX_VALUE);
    }

    @Test
    void timeBudgetStopsTheRun() {
        Tracker tracker = Tracker.builder(PROBLEM).timeBudget(0.2).build();
        tracker.start();
        Engine.Stats s = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                Engine.run(new Engine.Config(2, Partitioning.CONTIGUOUS, 1, Integer.MAX_VALUE), DATA.all(), (id, part, rnd) -> new Worker() {
                    @Override public void beginRound(int r) {}
                    @Override public int stepsPerRound() { return 1000; }
                    @Override public void step(int k) { Thread.onSpinWait(); }
                }, r -> false, tracker));
        assertTrue(s.rounds() >= 1 && s.rounds() < Integer.MAX_VALUE);
    }
}
