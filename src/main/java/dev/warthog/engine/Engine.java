package dev.warthog.engine;

import dev.warthog.data.RowSubset;
import dev.warthog.trace.Tracker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs W worker threads (platform threads) over partitions of the rows, in rounds. A round
 * is: every worker runs its steps, arrives at barrier A; the coordinator (the calling
 * thread) runs {@link Coordinator#afterRound} while the workers wait; it arrives at barrier
 * B and the workers start the next round. One {@link Phaser} with W+1 parties gives both
 * barriers.
 *
 * <p>Stopping: the coordinator sets the stop flag before releasing barrier B (the workers
 * read it after B) — at the last round, on cancellation, on a spent time budget, or when
 * the coordinator says so. While it waits at A it polls the tracker's cancellation and
 * time budget and, if either fires, raises the flag, which the workers read (opaquely) every
 * {@code stopCheckEvery} steps so a round ends early.
 *
 * <p>Failure: a worker that throws records the first failure, raises the stop flag and
 * force-terminates the phaser, which releases every thread waiting at a barrier at once;
 * the coordinator joins all workers and throws {@link WorkerFailedException} with the
 * worker's exception as cause. The same happens if the coordinator itself throws. No thread
 * is left waiting.
 */
public final class Engine {
    private static final VarHandle STOP;
    private static final VarHandle FAILURE;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STOP = l.findVarHandle(Engine.class, "stop", boolean.class);
            FAILURE = l.findVarHandle(Engine.class, "failure", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @param threads        worker threads W
     * @param partitioning   how rows are dealt to workers
     * @param seed           seed of the partitioning and of every worker's stream ({@link Seeds})
     * @param maxRounds      rounds at most
     * @param stopCheckEvery steps between two reads of the stop flag (a power of two)
     */
    public record Config(int threads, Partitioning partitioning, long seed, int maxRounds, int stopCheckEvery) {
        public Config {
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            if (maxRounds < 1) throw new IllegalArgumentException("rounds must be >= 1, got " + maxRounds);
            if (Integer.bitCount(stopCheckEvery) != 1) throw new IllegalArgumentException("stopCheckEvery must be a power of two");
        }

        public Config(int threads, Partitioning partitioning, long seed, int maxRounds) {
            this(threads, partitioning, seed, maxRounds, 64);
        }
    }

    /** What a run did: rounds completed, steps per worker, and each worker's compute and barrier-wait nanoseconds. */
    public record Stats(int rounds, long[] steps, long[] computeNanos, long[] waitNanos) {
        public long totalSteps() { long s = 0; for (long x : steps) s += x; return s; }
    }

    @SuppressWarnings("unused") private long p0, p1, p2, p3, p4, p5, p6;
    private volatile boolean stop;
    private volatile Throwable failure;
    private volatile int failedWorker = -1;
    @SuppressWarnings("unused") private long q0, q1, q2, q3, q4, q5, q6;

    private final Config cfg;
    private final Phaser phaser;

    private Engine(Config cfg) {
        this.cfg = cfg;
        this.phaser = new Phaser(cfg.threads() + 1);
    }

    /** Runs the workers over {@code data}'s partitions until a stop; see the class comment. */
    public static Stats run(Config cfg, RowSubset data, WorkerFactory factory, Coordinator coordinator, Tracker tracker) {
        return new Engine(cfg).go(data, factory, coordinator, tracker);
    }

    /** True once a stop was requested (opaque read: the workers' frequent check). */
    private boolean stopOpaque() { return (boolean) STOP.getOpaque(this); }

    private void fail(int worker, Throwable t) {
        if (FAILURE.compareAndSet(this, null, t)) failedWorker = worker;
        stop = true;
        phaser.forceTermination();
    }

    private Stats go(RowSubset data, WorkerFactory factory, Coordinator coordinator, Tracker tracker) {
        int n = cfg.threads();
        RowSubset[] parts = cfg.partitioning().split(data, n, cfg.seed());
        long[] steps = new long[n], compute = new long[n], wait = new long[n];
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            final int id = i;
            // Each worker is built on its own thread, so its mutable state (row view, counters,
            // order) lands in that thread's allocation buffer, not next to another worker's:
            // built here, two workers' per-step fields shared cache lines and Hogwild! with
            // opaque or atomic access did not speed up at all from 1 to 2 threads.
            threads[i] = Thread.ofPlatform().name("warthog-worker-" + i).daemon().unstarted(
                    () -> workerLoop(id, factory, parts[id], steps, compute, wait));
        }
        for (Thread t : threads) t.start();
        int rounds = 0;
        try {
            for (int round = 1; round <= cfg.maxRounds(); round++) {
                if (!awaitWorkers(tracker)) break;       // barrier A (false: terminated by a failure)
                rounds = round;
                boolean last = coordinator.afterRound(round) || round == cfg.maxRounds()
                        || (tracker != null && (tracker.cancelled() || tracker.overBudget()));
                if (last) stop = true;
                // barrier B: release the workers. Awaiting the advance (not a bare arrive) keeps
                // this thread from arriving again, for the next A, within the same phase.
                if (phaser.arriveAndAwaitAdvance() < 0 || last) break;
            }
        } catch (Throwable t) {
            fail(-1, t);
        } finally {
            if (failure != null) phaser.forceTermination();
            joinAll(threads);
        }
        Throwable f = failure;
        if (f != null) {
            if (failedWorker < 0) {
                if (f instanceof RuntimeException re) throw re;
                if (f instanceof Error e) throw e;
                throw new IllegalStateException(f);
            }
            throw new WorkerFailedException(failedWorker, f);
        }
        return new Stats(rounds, steps, compute, wait);
    }

    /** Barrier A on the coordinator's side, polling cancellation and the time budget while it waits. */
    private boolean awaitWorkers(Tracker tracker) throws InterruptedException {
        int phase = phaser.arrive();
        if (phase < 0) return false;
        while (true) {
            try {
                int next = phaser.awaitAdvanceInterruptibly(phase, 20, TimeUnit.MILLISECONDS);
                return next >= 0 && failure == null;
            } catch (TimeoutException e) {
                if (tracker != null && (tracker.cancelled() || tracker.overBudget())) stop = true;
            } catch (InterruptedException e) {
                stop = true;
                if (tracker != null) tracker.cancel();
                // keep waiting: the workers see the flag and arrive soon
            }
        }
    }

    private void workerLoop(int id, WorkerFactory factory, RowSubset part, long[] steps, long[] compute, long[] wait) {
        int mask = cfg.stopCheckEvery() - 1;
        long done = 0, tc = 0, tw = 0;
        try {
            Worker w = factory.create(id, part, Seeds.forWorker(cfg.seed(), id));
            for (int round = 1; ; round++) {
                long t0 = System.nanoTime();
                w.beginRound(round);
                int m = w.stepsPerRound();
                int k = 0;
                for (; k < m; k++) {
                    if ((k & mask) == 0 && stopOpaque()) break;
                    w.step(k);
                }
                done += k;
                long t1 = System.nanoTime();
                tc += t1 - t0;
                if (phaser.arriveAndAwaitAdvance() < 0) return;   // A
                if (phaser.arriveAndAwaitAdvance() < 0) return;   // B
                tw += System.nanoTime() - t1;
                if (stop) return;
            }
        } catch (Throwable t) {
            fail(id, t);
        } finally {
            steps[id] = done;
            compute[id] = tc;
            wait[id] = tw;
        }
    }

    private static void joinAll(Thread[] threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try { t.join(); break; } catch (InterruptedException e) { interrupted = true; }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
