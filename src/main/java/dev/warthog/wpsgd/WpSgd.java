package dev.warthog.wpsgd;

import dev.warthog.data.Dataset;
import dev.warthog.data.Prefetch;
import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.engine.Seeds;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.Team;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Solver;
import dev.warthog.trace.Tracker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The bucket SGD family of seed 001 on M logical workers: SimuParallel SGD (Algorithm 2),
 * weighted parallel SGD (WP-SGD, Algorithm 1 with the weights of eq. (6) or (8)), its
 * periodic form (section 4.1, Deduction 2: a weighted average every {@code span} updates of
 * the fastest worker, broadcast to every worker) and "averaging directly" (the plain mean of
 * unequal workers, seed 001 section 5's baseline).
 *
 * <p><b>Data.</b> The rows are randomly partitioned (one permutation from the seed) into M
 * parts of sizes n_i given by the shares ({@link Shares}; equal by default, 0 allowed for a
 * worker that does nothing). Worker i shuffles its part with its own stream
 * ({@link Seeds#forWorker}) and walks it, reshuffling at the end of each pass.
 *
 * <p><b>Workload model.</b> Seed 001 emulates a heterogeneous cluster by the quantity of data
 * each node consumes: every node makes the same number of passes over its part in the same
 * time, so a node with 5x the data makes 5x the updates. Here worker i's rate is
 * rho_i = n_i / slowdown_i ({@code --slowdown i:factor}); the fastest worker f (largest rate,
 * lowest id on ties) makes t updates ({@code updates}, default {@code epochs} passes over its
 * part, t = epochs n_f), and when it has made k, worker i has made
 * c_i(k) = floor(k rho_i / rho_f) (exact integer arithmetic when no worker is slowed). Its
 * delay is T_i = t - c_i(t) (Algorithm 1 lines 5-7); a worker with share 0 has T_i = t.
 * SimuParallel SGD is the balanced algorithm: every worker makes t updates (Algorithm 2 line 5),
 * so every worker needs data. The counts depend only on the options and the data, never on
 * the clock or the thread count. The {@code --slowdown/--delay/--stall} pacers are applied in
 * addition, for wall-clock time only.
 *
 * <p><b>Combination.</b> SimuParallel SGD and averaging directly: v = (sum_i w_i) / M.
 * WP-SGD: v = sum_i weight_i w_i with weight_i = base^{T_i} / sum_j base^{T_j}, base =
 * 1 - lambda eta (eq. (6)) or r (eq. (8)); when all delays are equal the weights are 1/M and
 * the plain mean is used, so WP-SGD on a balanced workload is SimuParallel SGD bit for bit.
 * Periodic form: at every multiple of span (and at t) the combination is taken with the delays
 * accumulated since the previous averaging and written back into every worker's replica.
 * The combination sums the workers in id order, each thread a slice of the coordinates, so
 * the result does not depend on the thread count.
 *
 * <p><b>Trace.</b> Every {@code checkpointEvery} updates of the fastest worker (default: one
 * pass over its part) the current combination is evaluated (seed 001 section 5.2 stores the
 * models "after k = 10,000 x i updates of the fastest node"); it is computed aside, without
 * touching the replicas. Trace point j is after {@code extras.checkpointUpdates[j]} updates.
 *
 * <p><b>Threads.</b> T = min(threads, M) OS threads run the M workers through a {@link Team};
 * thread p runs workers p, p+T, ... and allocates their replicas. A failing worker stops the
 * team and the run ends with a {@link dev.warthog.engine.WorkerFailedException} carrying its
 * exception.
 */
public final class WpSgd implements Solver {
    /** Which member of the family. */
    public enum Mode {
        SIMUPARALLEL("simuparallel"), WPSGD("wpsgd"), AVERAGE_DIRECTLY("average-directly");

        private final String cliName;
        Mode(String n) { this.cliName = n; }
        public String cliName() { return cliName; }
    }

    private static final long PARTITION_SALT = 0x3C6EF372FE94F82BL;
    private static final int POLL = 1024;

    private final Mode mode;
    private final int threads;
    private final int workers;
    private final int epochs;
    private final long updates;
    private final double step;
    private final long seed;
    private final double r;
    private final long span;
    private final String shares;
    private final Stragglers stragglers;
    private final double commDelayMs;
    private final Team.Wait barrier;
    private final double initialWeight;
    private final long checkpointEvery;
    private final IntConsumer beforeSegment;

    private WpSgd(Builder b) {
        this.mode = b.mode;
        this.threads = b.threads;
        this.workers = b.workers > 0 ? b.workers : b.threads;
        this.epochs = b.epochs;
        this.updates = b.updates;
        this.step = b.step;
        this.seed = b.seed;
        this.r = b.r;
        this.span = b.span;
        this.shares = b.shares;
        this.stragglers = b.stragglers;
        this.commDelayMs = b.commDelayMs;
        this.barrier = b.barrier;
        this.initialWeight = b.initialWeight;
        this.checkpointEvery = b.checkpointEvery;
        this.beforeSegment = b.beforeSegment;
        if (mode != Mode.WPSGD && !Double.isNaN(r))
            throw new IllegalArgumentException("solver " + mode.cliName() + " has no option r (only wpsgd weights its workers)");
        if (mode == Mode.SIMUPARALLEL) {
            double[] f = Shares.parse(shares, workers);
            for (int i = 0; i < f.length; i++)
                if (f[i] == 0) throw new IllegalArgumentException("--shares: simuparallel needs every worker to consume t samples, "
                        + "but worker " + i + " has share 0 (use wpsgd or average-directly for idle workers)");
        } else {
            Shares.parse(shares, workers);
        }
        stragglers.checkWorkers(workers);
    }

    public static Builder builder(Mode mode) { return new Builder(mode); }

    @Override public String name() { return mode.cliName(); }
    public Mode mode() { return mode; }
    public int workers() { return workers; }
    public int threads() { return threads; }

    /** The step this solver uses on p: the given one, or 1/L_max (the hinge loss needs an explicit step). */
    public double stepFor(Problem p) {
        return dev.warthog.solver.Steps.givenOr(step, p, mode.cliName(), () -> 1.0 / p.sampleSmoothness());
    }

    /** The random partition: worker i's global row ids, in partition order (before its own shuffle). */
    static int[][] partition(int n, int[] counts, long seed) {
        int[] perm = new int[n];
        dev.warthog.solver.Sgd.epochOrder(n, new SplittableRandom(seed ^ PARTITION_SALT), perm);
        int[][] parts = new int[counts.length][];
        int off = 0;
        for (int i = 0; i < counts.length; i++) {
            parts[i] = java.util.Arrays.copyOfRange(perm, off, off + counts[i]);
            off += counts[i];
        }
        return parts;
    }

    /** The schedule of the run: the row counts, the fastest worker, t, and c_i(k). */
    static final class Schedule {
        final int[] rows;
        final int fastest;
        final long t;
        final boolean balanced, exact;
        final double[] ratio;

        Schedule(Mode mode, int[] rows, Stragglers st, int epochs, long updates) {
            this.rows = rows;
            int m = rows.length;
            this.balanced = mode == Mode.SIMUPARALLEL;
            boolean slowed = false;
            for (int i = 0; i < m; i++) slowed |= st.slowdown(i) != 1;
            this.exact = !slowed;
            int f = 0;
            double best = -1;
            for (int i = 0; i < m; i++) {
                double rate = balanced ? 1.0 / st.slowdown(i) : rows[i] / st.slowdown(i);
                if (rate > best) { best = rate; f = i; }
            }
            this.fastest = f;
            ratio = new double[m];
            for (int i = 0; i < m; i++)
                ratio[i] = i == f ? 1.0 : (balanced ? 1.0 : (rows[i] / st.slowdown(i)) / best);
            this.t = updates > 0 ? updates : Math.multiplyExact((long) epochs, (long) rows[f]);
        }

        /** Updates worker i has made when the fastest has made k. */
        long count(int i, long k) {
            if (balanced || i == fastest) return k;
            if (exact) return Math.multiplyExact(k, (long) rows[i]) / rows[fastest];
            return (long) Math.floor(k * ratio[i]);
        }
    }

    /** One logical worker's state; created on the thread that runs it. */
    private static final class Node {
        final Replica replica;
        final int[] rows;
        final SplittableRandom rnd;
        final Stragglers.Pacer pacer;
        final Row row = new Row();
        // the pass's rows resolved in order (RowSubset.resolve): a step reads no row pointers
        final RowSubset all;
        final int[] offsets, nnz;
        final double[] labels;
        double touched;            // Prefetch's loads end here, so they are not dropped
        int pos;
        long done;

        Node(Problem p, double w0, int[] rows, SplittableRandom rnd, Stragglers.Pacer pacer) {
            this.replica = new Replica(p, w0);
            this.rows = rows;
            this.rnd = rnd;
            this.pacer = pacer;
            this.pos = rows.length;    // shuffle before the first step
            Dataset data = p.data();
            this.all = data.all();
            this.offsets = new int[rows.length];
            this.nnz = new int[rows.length];
            this.labels = new double[rows.length];
            row.values = data.values();
            row.indices = data.indices();
        }

        /**
         * The next row of this worker's part (Fisher-Yates reshuffle at the start of each pass,
         * then the pass's rows resolved); on sparse data every 16 positions touch the next 16
         * rows ({@link Prefetch#block}).
         */
        Row next() {
            if (pos == rows.length) {
                for (int k = rows.length - 1; k > 0; k--) {
                    int j = rnd.nextInt(k + 1);
                    int x = rows[k]; rows[k] = rows[j]; rows[j] = x;
                }
                all.resolve(rows, rows.length, offsets, nnz, labels);
                pos = 0;
            }
            touched += Prefetch.block(row.values, row.indices, offsets, nnz, pos);
            int k = pos++;
            return row.point(rows[k], offsets[k], nnz[k], labels[k]);
        }
    }

    @Override
    public Result solve(Problem p, Tracker tracker) {
        final double eta = dev.warthog.solver.Steps.shrinkable(stepFor(p), p, mode.cliName());   // the contraction 1 - lambda eta
        if (p.l1() != 0) throw new IllegalArgumentException(mode.cliName() + " takes an l2 penalty only (seed 001's c^i, eq. (4))");
        final double contraction = 1 - eta * p.l2();
        final double base = Double.isNaN(r) ? contraction : r;
        final Dataset data = p.data();
        final int m = workers, d = p.dim();
        final int[] counts = Shares.rowCounts(Shares.parse(shares, m), data.rows());
        if (mode == Mode.SIMUPARALLEL)
            for (int i = 0; i < m; i++)
                if (counts[i] == 0) throw new IllegalArgumentException("simuparallel: worker " + i + " got no rows ("
                        + data.rows() + " rows for " + m + " workers); every worker must consume t samples");
        final Schedule sch = new Schedule(mode, counts, stragglers, epochs, updates);
        if (sch.t <= 0) throw new IllegalArgumentException(mode.cliName() + ": the fastest worker has no rows to consume");
        final long t = sch.t;
        final long every = checkpointEvery > 0 ? checkpointEvery : Math.max(1, counts[sch.fastest]);
        final int[][] parts = partition(data.rows(), counts, seed);
        final int tt = Math.min(threads, m);
        final Node[] nodes = new Node[m];
        final double[] combined = new double[d];
        final double[] avgBroadcast = new double[d];
        final long[] baseCount = new long[m];         // c_i at the last averaging
        final long[] cur = new long[m];
        final boolean[] pendingBroadcast = {false};
        final long[] segFrom = new long[1], segTo = new long[1];
        final double[] coef = new double[m];
        final boolean[] plainMean = {true};

        List<Long> checkpointUpdates = new ArrayList<>();
        long computeNanos = 0, aggregateNanos = 0;
        int rounds = 0;
        long[] lastDelays = new long[m];
        double[] lastWeights = new double[m];
        long[] firstSpanDelays = null;
        long averagedAt = 0;

        tracker.start();
        try (Team team = Team.start(tt, barrier)) {
            // allocate each worker's replica and part on the thread that will run it
            team.run(th -> {
                for (int i = th; i < m; i += tt)
                    nodes[i] = new Node(p, initialWeight, parts[i], Seeds.forWorker(seed, i), stragglers.pacer(i, seed));
                for (int i = th; i < m; i += tt) nodes[i].pacer.begin();
            });
            java.util.Arrays.fill(combined, initialWeight);
            checkpointUpdates.add(0L);
            boolean stop = tracker.record(0, combined);
            long k = 0;
            while (!stop && k < t) {
                long nextCheck = (k / every + 1) * every;
                long nextAvg = span > 0 ? Math.min(t, (k / span + 1) * span) : t;
                long k1 = Math.min(Math.min(nextCheck, nextAvg), t);
                segFrom[0] = k;
                segTo[0] = k1;
                long c0 = System.nanoTime();
                team.run(th -> {
                    for (int i = th; i < m; i += tt) {
                        Node nd = nodes[i];
                        if (beforeSegment != null) beforeSegment.accept(i);
                        if (pendingBroadcast[0]) nd.replica.set(avgBroadcast);
                        long steps = sch.count(i, segTo[0]) - sch.count(i, segFrom[0]);
                        long w0 = System.nanoTime();
                        for (long s = 0; s < steps; s++) {
                            if ((s & (POLL - 1)) == POLL - 1 && team.stopRequested()) return;
                            nd.replica.step(nd.next(), eta);
                        }
                        nd.done += steps;
                        nd.pacer.afterWork(System.nanoTime() - w0, team::stopRequested);
                    }
                });
                pendingBroadcast[0] = false;
                computeNanos += System.nanoTime() - c0;
                k = k1;
                boolean averaging = k == nextAvg;
                // delays since the last averaging (Algorithm 1 line 6; per span in the periodic form)
                long[] delays = new long[m];
                for (int i = 0; i < m; i++) {
                    cur[i] = sch.count(i, k);
                    delays[i] = (k - averagedAt) - (cur[i] - baseCount[i]);
                }
                long a0 = System.nanoTime();
                double[] weights = combinationWeights(delays, base, plainMean);
                for (int i = 0; i < m; i++) coef[i] = plainMean[0] ? nodes[i].replica.s : weights[i] * nodes[i].replica.s;
                team.run(th -> {
                    int lo = (int) ((long) d * th / tt), hi = (int) ((long) d * (th + 1) / tt);
                    for (int j = lo; j < hi; j++) {
                        double acc = coef[0] * nodes[0].replica.v[j];
                        for (int i = 1; i < m; i++) acc += coef[i] * nodes[i].replica.v[j];
                        combined[j] = plainMean[0] ? acc / m : acc;
                    }
                });
                if (averaging) {
                    rounds++;
                    if (commDelayMs > 0) pause(commDelayMs, team);
                    lastDelays = delays;
                    lastWeights = weights;
                    if (firstSpanDelays == null && span > 0 && k - averagedAt == span) firstSpanDelays = delays.clone();
                    if (k < t) {
                        System.arraycopy(combined, 0, avgBroadcast, 0, d);
                        pendingBroadcast[0] = true;
                        averagedAt = k;
                        System.arraycopy(cur, 0, baseCount, 0, m);
                    }
                }
                aggregateNanos += System.nanoTime() - a0;
                if (k == nextCheck || k == t) {
                    checkpointUpdates.add(k);
                    stop = tracker.record(checkpointUpdates.size() - 1, combined);
                }
                if (!stop && tracker.cancelled()) stop = true;
            }
            tracker.finish();
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("iterations", rounds);
            extras.put("computeSeconds", computeNanos * 1e-9);
            extras.put("aggregateSeconds", aggregateNanos * 1e-9);
            double[] wc = new double[tt], wb = new double[tt];
            double meanWait = 0;
            for (int i = 0; i < tt; i++) {
                wc[i] = team.computeNanos(i) * 1e-9;
                wb[i] = team.waitNanos(i) * 1e-9;
                meanWait += wb[i] / tt;
            }
            extras.put("barrierSeconds", meanWait);
            extras.put("workerComputeSeconds", wc);
            extras.put("workerBarrierSeconds", wb);
            extras.put("workers", m);
            extras.put("step", eta);
            extras.put("initialWeight", initialWeight);
            extras.put("fastestWorker", sch.fastest);
            extras.put("fastestUpdates", k);
            extras.put("workerRows", java.util.Arrays.stream(counts).asLongStream().toArray());
            long[] samples = new long[m];
            long totalSamples = 0;
            for (int i = 0; i < m; i++) { samples[i] = nodes[i].done; totalSamples += samples[i]; }
            extras.put("workerSamples", samples);
            long[] runDelays = new long[m];
            for (int i = 0; i < m; i++) runDelays[i] = k - samples[i];
            extras.put("delays", runDelays);
            if (mode == Mode.WPSGD) {
                extras.put("weightBase", base);
                extras.put("weightRule", Double.isNaN(r) ? "eq. (6): (1 - lambda eta)^T_i" : "eq. (8): r^T_i");
                extras.put("roundDelays", lastDelays);
            }
            extras.put("weights", plainMean[0] ? equal(m) : lastWeights);
            Weights.Condition c = Weights.condition(base, runDelays);
            Map<String, Object> cond = new LinkedHashMap<>();
            cond.put("equation", Double.isNaN(r) ? "(7)" : "(9)");
            cond.put("lhs", c.lhs());
            cond.put("rhs", c.rhs());
            cond.put("holds", c.holds());
            extras.put("condition", cond);
            if (span > 0) {
                extras.put("span", span);
                if (firstSpanDelays != null) {
                    double f = Weights.periodicFactor(contraction, firstSpanDelays, span);
                    extras.put("periodicFactor", f);
                    extras.put("periodicValid", f < 1);
                }
            }
            extras.put("checkpointUpdates", checkpointUpdates.stream().mapToLong(Long::longValue).toArray());
            return new Result(name(), p, combined.clone(), tracker.trace(), tracker.trainSeconds(),
                    checkpointUpdates.size() - 1, totalSamples, tt, extras);
        }
    }

    /** Weights of one combination; sets plainMean[0] when they are all 1/M. */
    private double[] combinationWeights(long[] delays, double base, boolean[] plainMean) {
        boolean equalDelays = true;
        for (long x : delays) equalDelays &= x == delays[0];
        plainMean[0] = mode != Mode.WPSGD || equalDelays;
        return plainMean[0] ? equal(delays.length) : Weights.of(base, delays);
    }

    private static double[] equal(int m) {
        double[] e = new double[m];
        java.util.Arrays.fill(e, 1.0 / m);
        return e;
    }

    private static void pause(double ms, Team team) {
        long end = System.nanoTime() + (long) (ms * 1e6);
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0 || team.stopRequested()) return;
            LockSupport.parkNanos(Math.min(left, 5_000_000));
        }
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "%s(workers=%d, threads=%d, step=%s, %s, seed=%d%s%s%s%s)", mode.cliName(), workers, threads,
                Double.isNaN(step) ? "1/Lmax" : Double.toString(step),
                updates > 0 ? "updates=" + updates : "epochs=" + epochs, seed,
                Double.isNaN(r) ? "" : ", r=" + r, span > 0 ? ", span=" + span : "",
                shares == null ? "" : ", shares=" + shares, initialWeight != 0 ? ", w0=" + initialWeight : "");
    }

    /** Configures a {@link WpSgd}. */
    public static final class Builder {
        private final Mode mode;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int workers = 0;
        private int epochs = 1;
        private long updates = 0;
        private double step = Double.NaN;
        private long seed = 1;
        private double r = Double.NaN;
        private long span = 0;
        private String shares;
        private Stragglers stragglers = Stragglers.NONE;
        private double commDelayMs = 0;
        private Team.Wait barrier = Team.Wait.PHASER;
        private double initialWeight = 0;
        private long checkpointEvery = 0;
        private IntConsumer beforeSegment;

        private Builder(Mode mode) { this.mode = java.util.Objects.requireNonNull(mode); }

        /** OS threads (default: the available processors); capped at the worker count. */
        public Builder threads(int n) {
            if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
            threads = n; return this;
        }
        /** Logical workers M (default: the thread count). Results depend on M, never on threads. */
        public Builder workers(int n) {
            if (n < 1) throw new IllegalArgumentException("workers must be >= 1, got " + n);
            workers = n; return this;
        }
        /** Passes of the fastest worker over its part (default 1): t = epochs n_fastest. */
        public Builder epochs(int e) {
            if (e < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + e);
            epochs = e; return this;
        }
        /** t, the fastest worker's updates (overrides epochs; 0 = from epochs). */
        public Builder updates(long t) {
            if (t < 0) throw new IllegalArgumentException("updates must be >= 0, got " + t);
            updates = t; return this;
        }
        /** eta (constant, as in seed 001); NaN = 1/L_max (smooth losses only). */
        public Builder step(double eta) {
            if (!Double.isNaN(eta) && !(eta > 0 && Double.isFinite(eta)))
                throw new IllegalArgumentException("step must be finite and > 0, got " + eta);
            step = eta; return this;
        }
        public Builder seed(long s) { seed = s; return this; }
        /** WP-SGD's weight base r of eq. (8), in (0, 1]; NaN = 1 - lambda eta (eq. (6)). */
        public Builder r(double x) {
            if (!Double.isNaN(x) && !(x > 0 && x <= 1))
                throw new IllegalArgumentException("r must be in (0, 1] (a contraction rate), got " + x);
            r = x; return this;
        }
        /** Periodic averaging every span updates of the fastest worker (0 = once, at the end). */
        public Builder span(long n) {
            if (n < 0) throw new IllegalArgumentException("span must be >= 1, got " + n);
            span = n; return this;
        }
        /** {@code i:fraction,...} (null = equal shares); see {@link Shares#parse}. */
        public Builder shares(String s) { shares = s == null || s.isBlank() ? null : s; return this; }
        public Builder stragglers(Stragglers s) { stragglers = s == null ? Stragglers.NONE : s; return this; }
        /** Injected delay per averaging round, in ms. */
        public Builder commDelayMs(double ms) {
            if (!(ms >= 0) || Double.isInfinite(ms)) throw new IllegalArgumentException("comm-delay must be a finite number of ms >= 0, got " + ms);
            commDelayMs = ms; return this;
        }
        public Builder barrier(Team.Wait w) { barrier = java.util.Objects.requireNonNull(w); return this; }
        /** Every weight's initial value (seed 001 section 5 uses 4; default 0 as in Algorithms 1-2). */
        public Builder initialWeight(double w0) {
            if (!Double.isFinite(w0)) throw new IllegalArgumentException("initial weight must be finite, got " + w0);
            initialWeight = w0; return this;
        }
        /** Trace checkpoint every n updates of the fastest worker (0 = one pass over its part). */
        public Builder checkpointEvery(long n) {
            if (n < 0) throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + n);
            checkpointEvery = n; return this;
        }
        /** Test hook: called on the worker's thread before each of its segments (a throw = a failing worker). */
        Builder beforeSegment(IntConsumer hook) { beforeSegment = hook; return this; }

        public WpSgd build() { return new WpSgd(this); }
    }
}
