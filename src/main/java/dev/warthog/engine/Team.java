package dev.warthog.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.concurrent.Phaser;
import java.util.function.IntConsumer;

/**
 * A fixed team of W workers that runs parallel regions for the synchronous algorithms: the
 * caller is worker 0 and W-1 platform threads are the others. {@link #run(Task)} publishes
 * a task, every worker runs it with its id, and the call returns once all have finished;
 * between two regions the caller runs alone (the parameter server's update, an average).
 * A region is two barrier crossings, so a W-thread iteration costs two round trips:
 * <pre>
 *   caller:  publish task -> barrier (start) -> task(0) -> barrier (end) -> server code ...
 *   worker i:                barrier (start) -> task(i) -> barrier (end) -> barrier (start) ...
 * </pre>
 * Everything written before a barrier is visible to every worker after it (both barrier
 * kinds give happens-before), so the server's writes between regions are visible to the
 * next region's tasks, and the tasks' writes are visible to the server after {@code run}.
 *
 * <p>Barriers: {@link Wait#PHASER} (a {@link Phaser}: spins briefly, then parks) or
 * {@link Wait#SPIN} (a {@link SpinBarrier}: spins, then yields, then parks briefly); the
 * barrier JMH benchmark measures both against {@code CyclicBarrier}.
 *
 * <p>Failure: a task that throws records the first failure and raises the stop flag; the
 * other workers' tasks finish (a long task must poll {@link #stopRequested()}), every
 * worker reaches the end barrier, and {@code run} throws {@link WorkerFailedException}
 * with the worker's exception as cause. Nobody waits at a barrier for a thread that died:
 * a worker thread that fails outside a task breaks the barrier. {@link #close()} stops and
 * joins the threads; use try-with-resources.
 *
 * <p>In-region barrier: a task may cross {@link #sync} to split a region into phases (a
 * whole run of periods in one region: local steps, sync, round, local steps, sync, ...). It is a second
 * barrier of the same kind, so the start and end barriers' generations are never mixed up
 * with it. Every worker must call it the same number of times in a region, unless it
 * returned false: a task that throws, or {@link #requestStop()}, breaks it, so every worker
 * waiting there or arriving later gets false at once and its task must return; the workers
 * then meet at the end barrier as usual. The failed team cannot run another region.
 *
 * <p>Timing: per worker, the nanoseconds spent in tasks ({@link #computeNanos}) and waiting
 * at the barriers ({@link #waitNanos}, the in-region barrier's waits included and taken out
 * of the task time); the caller's wait includes nothing it ran alone between regions.
 */
public final class Team implements AutoCloseable {
    /** How the workers wait at a barrier. */
    public enum Wait {
        PHASER("phaser"), SPIN("spin");

        private final String cliName;

        Wait(String n) { this.cliName = n; }

        public String cliName() { return cliName; }

        public static Wait parse(String s) {
            for (Wait w : values()) if (w.cliName.equals(s)) return w;
            throw new IllegalArgumentException("unknown barrier '" + s + "': expected phaser or spin");
        }
    }

    /** What every worker runs in a region. */
    @FunctionalInterface
    public interface Task {
        void run(int worker) throws Exception;
    }

    private static final VarHandle STOP;
    static {
        try {
            STOP = MethodHandles.lookup().findVarHandle(Team.class, "stop", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int size;
    private final Wait wait;
    private final Phaser phaser;
    private final SpinBarrier spin;
    // the in-region barrier (sync): separate from the start/end barrier, broken on failure
    private final Phaser innerPhaser;
    private final SpinBarrier innerSpin;
    private final Thread[] threads;
    private final long[] computeNanos, waitNanos, syncNanos;
    @SuppressWarnings("unused") private long p0, p1, p2, p3, p4, p5, p6;
    private volatile boolean stop;
    private volatile Throwable failure;
    private volatile int failedWorker = -1;
    @SuppressWarnings("unused") private long q0, q1, q2, q3, q4, q5, q6;
    // written by the caller before the start barrier, read by the workers after it
    private Task task;
    private boolean closing;
    private boolean closed;
    // test seam: run by each worker thread after the start barrier, outside its task (null in use)
    private final IntConsumer outsideTask;

    private Team(int size, Wait wait, String name, IntConsumer outsideTask) {
        if (size < 1) throw new IllegalArgumentException("threads must be >= 1, got " + size);
        this.size = size;
        this.wait = wait;
        this.outsideTask = outsideTask;
        this.phaser = wait == Wait.PHASER ? new Phaser(size) : null;
        this.spin = wait == Wait.SPIN ? new SpinBarrier(size) : null;
        this.innerPhaser = wait == Wait.PHASER ? new Phaser(size) : null;
        this.innerSpin = wait == Wait.SPIN ? SpinBarrier.inRegion(size) : null;
        this.computeNanos = new long[size * 8];   // one cache line per worker: no false sharing
        this.waitNanos = new long[size * 8];
        this.syncNanos = new long[size * 8];
        this.threads = new Thread[size - 1];
        for (int i = 1; i < size; i++) {
            final int id = i;
            threads[i - 1] = Thread.ofPlatform().name(name + "-" + i).daemon().unstarted(() -> workerLoop(id));
        }
        for (Thread t : threads) t.start();
    }

    /** Starts W-1 worker threads; the caller will be worker 0. */
    public static Team start(int threads, Wait wait) { return new Team(threads, wait, "warthog-team", null); }

    /** For tests: {@code probe} runs in every worker thread after each start barrier, outside the task. */
    static Team startWithProbe(int threads, Wait wait, IntConsumer probe) {
        return new Team(threads, wait, "warthog-team", probe);
    }

    public int size() { return size; }
    public Wait barrier() { return wait; }

    /** True once a worker failed or {@link #requestStop()} was called (opaque read, for polling in long tasks). */
    public boolean stopRequested() { return (boolean) STOP.getOpaque(this); }

    /** Asks long-running tasks to end early (they poll {@link #stopRequested()}); breaks {@link #sync}. */
    public void requestStop() {
        stop = true;
        breakInner();
    }

    /**
     * The in-region barrier (class comment), called by worker {@code worker} inside a task:
     * waits until every worker has called it as often, and returns true; everything a worker
     * wrote before its call is visible to every worker after theirs. Returns false, at once,
     * when a worker failed or a stop was requested: the task must then return.
     */
    public boolean sync(int worker) {
        long t0 = System.nanoTime();
        boolean ok = innerPhaser != null ? innerPhaser.arriveAndAwaitAdvance() >= 0 : innerSpin.await();
        syncNanos[worker * 8] += System.nanoTime() - t0;   // moved from compute to wait when the task ends
        return ok;
    }

    /** Worker i's waits at sync during its last task, reset (its own slot: only its thread touches it). */
    private long takeSyncNanos(int i) {
        long s = syncNanos[i * 8];
        syncNanos[i * 8] = 0;
        return s;
    }

    private void breakInner() {
        if (innerPhaser != null) innerPhaser.forceTermination(); else innerSpin.breakBarrier();
    }

    /** Runs {@code t} on every worker and returns when all are done; see the class comment for failures. */
    public void run(Task t) {
        if (closed || closing) throw new IllegalStateException("team is closed");
        if (failure != null) throw new IllegalStateException("team failed earlier; close it");
        task = t;
        long t0 = System.nanoTime();
        boolean ok = await();                    // start
        long t1 = System.nanoTime();
        if (ok) {
            runTask(0, t);
            long t2 = System.nanoTime();
            ok = await();                        // end
            long t3 = System.nanoTime();
            long s = takeSyncNanos(0);
            computeNanos[0] += t2 - t1 - s;
            waitNanos[0] += (t1 - t0) + (t3 - t2) + s;
        }
        Throwable f = failure;
        if (f != null) throw new WorkerFailedException(failedWorker, f);
        if (!ok) throw new IllegalStateException("team barrier broken");
    }

    /** Nanoseconds worker i spent in tasks so far. */
    public long computeNanos(int i) { return computeNanos[i * 8]; }
    /** Nanoseconds worker i spent waiting at the barriers so far. */
    public long waitNanos(int i) { return waitNanos[i * 8]; }

    private boolean await() {
        return phaser != null ? phaser.arriveAndAwaitAdvance() >= 0 : spin.await();
    }

    private void breakBarrier() {
        if (phaser != null) phaser.forceTermination(); else spin.breakBarrier();
    }

    private void runTask(int id, Task t) {
        try {
            t.run(id);
        } catch (Throwable e) {
            fail(id, e);
        }
    }

    private void fail(int id, Throwable e) {
        synchronized (this) {
            if (failure == null) { failedWorker = id; failure = e; }
        }
        stop = true;
        breakInner();   // nobody waits at sync for a worker whose task has ended
    }

    private void workerLoop(int id) {
        try {
            while (true) {
                long t0 = System.nanoTime();
                if (!await()) return;            // start
                if (closing) return;
                if (outsideTask != null) outsideTask.accept(id);
                long t1 = System.nanoTime();
                runTask(id, task);
                long t2 = System.nanoTime();
                if (!await()) return;            // end
                long s = takeSyncNanos(id);
                computeNanos[id * 8] += t2 - t1 - s;
                waitNanos[id * 8] += (t1 - t0) + (System.nanoTime() - t2) + s;
            }
        } catch (Throwable e) {
            // outside a task (an Error in the barrier): nobody may wait for this thread
            fail(id, e);
            breakBarrier();
        }
    }

    /** Stops and joins the worker threads. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closing = true;
        if (!await()) breakBarrier();   // the workers read `closing` after this start barrier
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try { t.join(); break; } catch (InterruptedException e) { interrupted = true; breakBarrier(); }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "Team(%d, %s)", size, wait.cliName());
    }
}
