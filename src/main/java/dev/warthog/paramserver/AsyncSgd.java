package dev.warthog.paramserver;

import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.engine.Partitioning;
import dev.warthog.engine.Seeds;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.WorkerFailedException;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.shared.PaddedCounters;
import dev.warthog.shared.StalenessHistogram;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.solver.SgdRun;
import dev.warthog.solver.Solver;
import dev.warthog.solver.SolverOptions;
import dev.warthog.trace.Tracker;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Asynchronous parameter-server SGD (seed 004 section 4.1, the single-server scheme; seed 002
 * section IV.A): a server holds the global model w and its version v (the number of updates
 * applied). Each of the T workers repeats, at its own pace:
 * <ol>
 *   <li>read a consistent snapshot w^(v_read) of the global model and its version;</li>
 *   <li>draw b rows (by default from all rows, in its own stream's order, a new order every
 *       pass; with {@code --partition} from its own part of the rows) and compute the
 *       mini-batch gradient at the snapshot,
 *       g = (1/b) sum_i loss'(x_i.w^(v_read), y_i) x_i + l2 w^(v_read);</li>
 *   <li>submit it; the server applies w <- w - eta_v g atomically with respect to every other
 *       update and increments v, so w^(k+1) = w^(k) - eta_k g(w^(k - tau_k)) (seed 002's
 *       s^(k) with delay tau^(k); seed 004's x_{t+1} = x_t - gamma g_t(x_{D(t)})).</li>
 * </ol>
 * tau = v at apply - v_read is recorded for every applied gradient ({@link StalenessHistogram}).
 *
 * <p><b>Why workers run the server's code under a lock.</b> On shared memory "sending" a
 * gradient is handing over a pointer. A dedicated server thread draining mailboxes would
 * occupy a core that could compute gradients and add a hand-off latency per update (the
 * worker has to wait for its acknowledgement before reading again). Instead the server role
 * is a {@link ReentrantLock} around w and v: the read (an O(d) copy) and the apply (O(d))
 * are short critical sections, the gradient (O(b nnz)) is computed outside, and the lock's
 * total order is exactly the atomic, one-at-a-time update that seed 004 section 4.1 assumes.
 * The lock spins briefly and then parks, so a waiting worker does not burn a shared core.
 *
 * <p><b>Bounded staleness</b> ({@code staleness} = S): before each update a worker waits while
 * its applied-update count exceeds the smallest count of the workers still running by more
 * than S (the counts are published with release stores inside the lock and read with acquire
 * loads; a stale read only makes a worker wait longer). A worker that finished, stopped or
 * failed leaves the minimum. The slowest worker never waits, so this cannot deadlock. Bound:
 * while worker i has an update in flight (its count k), worker j's checks saw c_i <= k, so j
 * applies only its updates numbered up to k + 1 + S, and it had applied at least k - S
 * before i's read; hence tau <= (T - 1)(2S + 1), and tau <= 1 for S = 0 and two workers.
 *
 * <p><b>Budget and epochs.</b> The run applies epochs x ceil(n / b) updates in total (about
 * epochs x n samples), handed out as tickets, so a fast worker does more updates than a slow
 * one. That is why the workers draw from all rows by default: each update is then an
 * unbiased mini-batch of the whole data whatever the speeds. With a partition (the
 * distributed setting, {@code --partition random|contiguous|strided}) a fast worker's part
 * is visited more often and a stalled worker's part not at all, so the run minimises a
 * reweighted objective (seed 004's caveat 2, "one partition is always more staled"). Step eta_v = schedule(eta0, v, e = v / ceil(n/b)), like {@link Sgd}.
 * Whoever applies update number k ceil(n/b) copies w into a snapshot; the calling thread
 * (a coordinator that computes nothing) records it as epoch k, pausing new updates while it
 * evaluates (workers finish the update in hand; a stalled one is not waited for).
 *
 * <p><b>Failure.</b> A worker that throws raises the stop flag; the others stop at their next
 * check (also while waiting for the bound or in a pacer), the coordinator joins everyone and
 * throws {@link WorkerFailedException} with the first failure as cause.
 *
 * <p>With one worker the run is serial mini-batch SGD with w <- w - eta (g/b + l2 w), step for
 * step: worker 0 draws from all rows (any partition of one part is all rows in order) and its
 * stream is {@code new SplittableRandom(seed)}.
 */
public final class AsyncSgd implements Solver {
    /** Test hook: called by worker {@code id} before it submits its {@code k}-th (0-based) update (package-private). */
    @FunctionalInterface
    interface Hook {
        void beforeSubmit(int worker, long k) throws Exception;
    }

    /** {@code --partition all}: every worker draws from all rows (the default). */
    public static final String ALL = "all";

    private final int threads;
    private final int batch;
    private final Integer staleness;
    private final Partitioning partitioning;
    private final SgdRun run;
    private final Hook hook;

    private AsyncSgd(Builder b) {
        this.threads = b.threads;
        this.batch = b.batch;
        this.staleness = b.staleness;
        this.partitioning = b.partitioning;
        this.run = b.run();
        this.hook = b.hook;
    }

    public static Builder builder() { return new Builder(); }

    /** Builds from command-line options (null fields keep the defaults). */
    public static Solver fromOptions(SolverOptions o) {
        reject(o.momentum() != null, "momentum");
        reject(o.tolerance() != null, "tolerance");
        reject(o.lineSearch() != null && o.lineSearch(), "line search");
        reject(o.access() != null, "access (the server applies every update under its lock)");
        reject(o.stalenessEvery() != null, "staleness-every (it measures the delay of every update)");
        Builder b = builder();
        if (o.threads() != null) b.threads(o.threads());
        if (o.batch() != null) b.batch(o.batch());
        if (o.staleness() != null) b.staleness(o.staleness());
        if (o.partition() != null) b.partitioning(o.partition().equals(ALL) ? null : Partitioning.parse(o.partition()));
        return b.runOptions(o).build();
    }

    private static void reject(boolean set, String option) {
        if (set) throw new IllegalArgumentException("solver async-sgd has no option " + option);
    }

    @Override public String name() { return "async-sgd"; }
    public int threads() { return threads; }
    public int batch() { return batch; }
    /** The bound S, or null when unbounded. */
    public Integer staleness() { return staleness; }

    @Override
    public Result solve(Problem p, Tracker tracker) {
        if (p.l1() != 0) throw new IllegalArgumentException("async-sgd takes an l2 penalty only (l1 must be 0)");
        double eta0 = run.eta0(p, name());
        run.stragglers().checkWorkers(threads);
        RowSubset[] parts = new RowSubset[threads];
        if (partitioning == null) Arrays.fill(parts, p.data().all());
        else parts = partitioning.split(p.data().all(), threads, run.seed());
        for (RowSubset part : parts)
            if (part.size() == 0) throw new IllegalArgumentException("async-sgd: " + threads + " threads for " + p.rows() + " rows leave a worker without rows");
        Run r = new Run(p, eta0, tracker);
        return r.go(parts);
    }

    /** The state of one solve: the server, the workers, the coordinator. */
    private final class Run {
        final Problem p;
        final int d, T;
        final double eta0, l2;
        final long perEpoch, total;
        final Tracker tracker;
        // the server: w and its version, guarded by lock
        final ReentrantLock lock = new ReentrantLock();
        final double[] w;
        long version;
        // per-worker applied counts (Long.MAX_VALUE once a worker left)
        final PaddedCounters counts;
        final AtomicLong tickets = new AtomicLong();
        final ConcurrentLinkedQueue<double[]> snapshots = new ConcurrentLinkedQueue<>();
        volatile boolean stop;
        volatile boolean paused;
        volatile Throwable failure;
        volatile int failedWorker = -1;
        final Thread coordinator = Thread.currentThread();
        final StalenessHistogram[] tau;
        final long[] applied, waitNanos, computeNanos, serverNanos;

        Run(Problem p, double eta0, Tracker tracker) {
            this.p = p;
            this.d = p.dim();
            this.T = threads;
            this.eta0 = eta0;
            this.l2 = p.l2();
            this.perEpoch = Math.max(1, (p.rows() + (long) batch - 1) / batch);
            this.total = perEpoch * run.epochs();
            this.tracker = tracker;
            this.w = new double[d];
            this.counts = new PaddedCounters(T);
            this.tau = new StalenessHistogram[T];
            this.applied = new long[T];
            this.waitNanos = new long[T];
            this.computeNanos = new long[T];
            this.serverNanos = new long[T];
        }

        Result go(RowSubset[] parts) {
            Thread[] ts = new Thread[T];
            for (int i = 0; i < T; i++) {
                final int id = i;
                final RowSubset part = parts[i];
                tau[i] = new StalenessHistogram();
                ts[i] = Thread.ofPlatform().name("warthog-async-sgd-" + i).daemon().unstarted(() -> workerMain(id, part));
            }
            tracker.start();
            boolean trackerStop = tracker.record(0, w.clone());
            int recorded = 0;
            double[] last = new double[d];
            long t0 = System.nanoTime();
            if (!trackerStop && total > 0) {
                for (Thread t : ts) t.start();
                try {
                    recorded = coordinate(ts, last);
                } catch (RuntimeException | Error e) {   // the tracker threw: stop everyone, then rethrow
                    stop = true;
                    joinAll(ts);
                    throw e;
                }
            }
            long wall = System.nanoTime() - t0;
            tracker.finish();
            Throwable f = failure;
            if (f != null) throw new WorkerFailedException(failedWorker, f);
            StalenessHistogram all = new StalenessHistogram();
            for (StalenessHistogram h : tau) all.merge(h);
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("iterations", (int) version);
            extras.put("updatesPerWorker", applied.clone());
            extras.put("batch", batch);
            extras.put("staleness", stalenessMap(all));
            extras.put("stalenessBound", staleness == null ? "unbounded" : staleness);
            extras.put("partition", partitioning == null ? ALL : partitioning.cliName());
            extras.put("step", eta0);
            double[] wc = new double[T], wb = new double[T];
            double meanC = 0, meanB = 0, meanS = 0, sumB = 0;
            for (int i = 0; i < T; i++) {
                wc[i] = computeNanos[i] * 1e-9;
                wb[i] = waitNanos[i] * 1e-9;
                meanC += wc[i] / T;
                meanB += wb[i] / T;
                sumB += wb[i];
                meanS += serverNanos[i] * 1e-9 / T;
            }
            extras.put("computeSeconds", meanC);
            extras.put("aggregateSeconds", meanS);
            extras.put("barrierSeconds", meanB);
            extras.put("waitSeconds", sumB);
            extras.put("workerComputeSeconds", wc);
            extras.put("workerBarrierSeconds", wb);
            extras.put("wallSeconds", wall * 1e-9);
            double[] out = recorded > 0 ? last : w.clone();
            return new Result(name(), p, out, tracker.trace(), tracker.trainSeconds(), recorded, version * batch, T, extras);
        }

        /** The coordinator: records every epoch's snapshot, watches the tracker, joins the workers. Returns the epochs recorded. */
        private int coordinate(Thread[] ts, double[] last) {
            int recorded = 0;
            boolean trackerStop = false;
            while (true) {
                double[] s = snapshots.poll();
                if (s != null) {
                    if (!trackerStop && failure == null) {
                        paused = true;
                        try {
                            trackerStop = tracker.record(++recorded, s);
                        } finally {
                            paused = false;
                        }
                        System.arraycopy(s, 0, last, 0, d);
                        if (trackerStop) stop = true;
                    }
                    continue;
                }
                if (failure != null) stop = true;
                if (!trackerStop && (tracker.cancelled() || tracker.overBudget())) { trackerStop = true; stop = true; }
                boolean alive = false;
                for (Thread t : ts) alive |= t.isAlive();
                if (!alive) {
                    if (snapshots.isEmpty()) break;
                    continue;
                }
                LockSupport.parkNanos(1_000_000);
            }
            joinAll(ts);
            return recorded;
        }

        private void joinAll(Thread[] ts) {
            boolean interrupted = false;
            for (Thread t : ts) {
                while (true) {
                    try { t.join(); break; } catch (InterruptedException e) { interrupted = true; stop = true; }
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }

        private void workerMain(int id, RowSubset part) {
            Stragglers.Pacer pacer = run.stragglers().pacer(id, run.seed());
            SplittableRandom rnd = Seeds.forWorker(run.seed(), id);
            int[] order = new int[part.size()];
            int pos = order.length;
            Row row = new Row();
            Loss loss = p.loss();
            double[] snap = new double[d], g = new double[d];
            StalenessHistogram hist = tau[id];
            long k = 0;
            java.util.function.BooleanSupplier stopped = () -> stop;
            pacer.begin();
            try {
                while (!stop) {
                    if (!awaitTurn(id, k)) break;
                    if (tickets.getAndIncrement() >= total) break;
                    long c0 = System.nanoTime();
                    long vRead = readSnapshotLocked(snap);
                    Arrays.fill(g, 0.0);
                    for (int q = 0; q < batch; q++) {
                        if (pos == order.length) { Sgd.epochOrder(order.length, rnd, order); pos = 0; }
                        Row r = part.row(order[pos++], row);
                        double dl = loss.derivative(Kernels.dot(r, snap), r.label);
                        if (dl != 0) Kernels.axpy(dl, r, g);
                    }
                    double inv = 1.0 / batch;
                    for (int j = 0; j < d; j++) g[j] = g[j] * inv + l2 * snap[j];
                    if (hook != null) hook.beforeSubmit(id, k);
                    long c1 = System.nanoTime();
                    hist.record(applyLocked(id, g, vRead));
                    long c2 = System.nanoTime();
                    k++;
                    computeNanos[id] += c1 - c0;
                    serverNanos[id] += c2 - c1;
                    pacer.afterWork(c2 - c0, stopped);
                }
            } catch (Throwable e) {
                synchronized (this) {
                    if (failure == null) { failedWorker = id; failure = e; }
                }
                stop = true;
            } finally {
                applied[id] = k;
                counts.setOwnRelease(id, Long.MAX_VALUE);   // leaves the minimum
                LockSupport.unpark(coordinator);
            }
        }

        /** Step (1): a consistent copy of w and the version it is. */
        private long readSnapshotLocked(double[] snap) {
            lock.lock();
            try {
                System.arraycopy(w, 0, snap, 0, d);
                return version;
            } finally {
                lock.unlock();
            }
        }

        /** Step (3), the server: w <- w - eta_v g, v++, and the staleness of g. */
        private long applyLocked(int id, double[] g, long vRead) {
            lock.lock();
            try {
                long v = version;
                double eta = run.schedule().eta(eta0, l2, run.decay(), v, (int) (v / perEpoch));
                for (int j = 0; j < d; j++) w[j] -= eta * g[j];
                version = v + 1;
                counts.incrementOwnRelease(id);
                if ((v + 1) % perEpoch == 0) {
                    snapshots.add(w.clone());
                    LockSupport.unpark(coordinator);
                }
                return v - vRead;
            } finally {
                lock.unlock();
            }
        }

        /** The smallest applied count of the running workers (acquire loads: a stale value is smaller, never larger). */
        private long minCountAcquire() {
            return counts.minAcquire();
        }

        /**
         * Waits while this worker is more than S updates ahead of the slowest running worker,
         * or while the coordinator evaluates. Returns false when the run stops.
         */
        private boolean awaitTurn(int id, long mine) {
            int spins = 0;
            long start = 0;
            while (true) {
                if (stop) return false;
                boolean wait = paused;
                if (!wait && staleness != null) wait = mine - minCountAcquire() > staleness;
                if (!wait) {
                    if (start != 0) waitNanos[id] += System.nanoTime() - start;
                    return true;
                }
                if (start == 0) start = System.nanoTime();
                if (spins < 100) Thread.onSpinWait();
                else if (spins < 200) Thread.yield();
                else LockSupport.parkNanos(20_000);
                spins++;
            }
        }
    }

    static Map<String, Object> stalenessMap(StalenessHistogram h) {
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("mean", h.mean());
        st.put("max", h.max());
        st.put("measured", h.count());
        st.put("histogram", h.buckets());
        return st;
    }

    @Override public String toString() {
        return "async-sgd(threads=" + threads + ", batch=" + batch + ", staleness=" + (staleness == null ? "unbounded" : staleness)
                + ", " + run.describe()
                 + ", partition=" + (partitioning == null ? ALL : partitioning.cliName()) + ", seed=" + run.seed() + ")";
    }

    /** Configures an {@link AsyncSgd}. */
    public static final class Builder extends SgdRun.Builder<Builder> {
        private int threads = 1;
        private int batch = 32;
        private Integer staleness;
        private Partitioning partitioning;
        private Hook hook;

        private Builder() {}

        /** Worker threads T (default 1). */
        public Builder threads(int v) { if (v < 1) throw new IllegalArgumentException("threads must be >= 1, got " + v); threads = v; return this; }
        /** Rows per update b (default 32). */
        public Builder batch(int v) { if (v < 1) throw new IllegalArgumentException("batch must be >= 1, got " + v); batch = v; return this; }
        /** Bound S >= 0 on how many updates a worker may be ahead of the slowest; null = unbounded (default). */
        public Builder staleness(Integer v) {
            if (v != null && v < 0) throw new IllegalArgumentException("staleness must be >= 0, got " + v);
            staleness = v; return this;
        }
        /** How the rows are dealt to workers; null (the default): every worker draws from all rows. */
        public Builder partitioning(Partitioning v) { partitioning = v; return this; }
        Builder hook(Hook h) { hook = h; return this; }
        public AsyncSgd build() { return new AsyncSgd(this); }
    }
}
