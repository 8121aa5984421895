package dev.warthog.averaging;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.engine.Seeds;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.Team;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Blocks;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Sgd;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The runtime shared by the periodic-averaging family: M logical workers, each with its own
 * replica x^(i) of the model, its own share of the rows and its own random stream
 * ({@link Seeds#forWorker}(seed, i)), executed by T OS threads of a {@link Team} (thread t
 * runs the contiguous block of workers [tM/T, (t+1)M/T)). One period of seed 003 eq. (1) is
 * two parallel regions: {@link #localSteps} (every worker runs tau local mini-batch SGD steps
 * on its replica) and {@link #average} (the M replicas are added by the fixed pairwise tree
 * of {@link Blocks#treeReduce}, divided by M, and the result is written back to every
 * replica). Every floating-point operation depends only on M, the seed and the settings,
 * never on T: runs are bit-identical at any thread count.
 *
 * <p><b>Sampling</b> (the convention shared with the synchronous mini-batch SGD): worker i
 * walks an endless sequence of permutations of its rows, each drawn by
 * {@link Sgd#epochOrder} from its stream when the previous one is used up; a mini-batch is
 * the next b positions (it may straddle two permutations, so every step uses exactly b rows).
 *
 * <p><b>Local step</b> (no local momentum), on a replica stored as x = s v (the scale trick of
 * {@link Sgd.State}): d_k = loss'(s x_k.v, y_k) for the b rows, s *= 1 - eta l2 (folded into v
 * when below 1e-9), v -= (eta d_k / (b s)) x_k: the exact step
 * x <- (1 - eta l2) x - (eta/b) sum_k d_k x_k, O(nnz) instead of O(d). With local momentum mu:
 * buf = mu buf + l2 x + (1/b) sum_k d_k x_k, x -= eta buf (dense), and buf is cleared after
 * every averaging (seed 003 section 5).
 *
 * <p><b>Average</b>: one region over cache-line slices of the coordinates; per chunk of a
 * slice the replicas are scaled by their s_i, added by the tree, and the average written back
 * to all of them, so the round is one pass over the M replicas. {@link Combine} also gives
 * the block-momentum update (eq. (7)-(8)) and the FedAvg server step (seed 000 section 4.1)
 * in the same pass. The injected communication delay D is a real-time wait of the caller
 * after the region, while the other threads wait at the next start barrier.
 *
 * <p><b>Sparse rounds</b> ({@link #sparseRounds}; plain AVERAGE, no local momentum, sparse
 * data): the dense round above is O(d M) even when a period of tau sparse steps touched a few
 * hundred coordinates. Then the global model is kept as x = G g (a global lazy scale G), and
 * worker i's replica is v_i only on the coordinates it touched this period (stamp_i[j] = the
 * period's number; the first touch copies v_ij = base_i G g_j, the period-start value), all
 * others being r_i(t) x_j(start) with r_i = base_i s_i its shrink (1 - eta l2)^k so far. The
 * average of seed 003 eq. (1) is then, per coordinate j touched by some worker,
 * x_j = (1/M) tree_i(touched_i(j) ? s_i v_ij : r_i x_j(start)) (the fixed tree of
 * {@link Blocks#treeSum}, the same at any T), stored as g_j = x_j / G', while every other
 * coordinate is (1/M) sum_i r_i x_j(start) = rbar x_j(start): G' = G rbar folds it in at O(1).
 * A round costs O(touched x M); when the workers touched more than d/8 coordinates in all the
 * round is a full pass with the same per-coordinate formula (and G' = 1). Which coordinates
 * are computed depends only on the sampled rows, never on T, so the bits do not either; the
 * rounding differs from the dense path (x_j = G g_j is one product more), within 1e-15
 * relative per round.
 */
final class ReplicaWorkers implements AutoCloseable {
    /** How {@link #average} turns the M local models into the next global model. */
    enum Combine { AVERAGE, BLOCK_MOMENTUM, FEDAVG }

    /** Settings shared by the family. */
    record Config(int workers, int threads, Team.Wait barrier, int batch, long seed, Shares shares,
                  Stragglers stragglers, double commDelayMs, double localMomentum) {}

    /** A test hook run after every local step: (worker, local step). */
    interface StepHook { void after(int worker, long step) throws Exception; }

    private static final int LINE = 8, CHUNK = 1024;

    private final Problem problem;
    private final Dataset data;
    private final Loss loss;
    private final double l2;
    private final int m, threads, dim, batch;
    private final Config cfg;
    private final Team team;
    private final Local[] local;
    private final double[][] parts;      // parts[i] = worker i's v
    private final double[] scales;       // s_i, written by worker i before a barrier
    private final int[] lo;              // thread t runs workers [lo[t], lo[t+1])
    private final long delayNanos;
    StepHook hook;

    // global state of the block momentum / FedAvg combine (x at the period start, u)
    private final double[] start;
    private double[] u;

    long computeNanos, aggregateNanos, commNanos, localSteps, rounds;

    // sparse rounds (see the class comment): x = gScale g between rounds; stamps of period `period`
    private boolean lazy;
    private double[] g, modelBuf;
    private double gScale = 1;
    private int period = 1;
    private boolean modelStale, finite = true;
    private int[] seen, union;
    private double[] shrink;       // r_i of the period
    private double[][] bufs;       // per thread: the M values added by the tree
    /** A round whose workers touched more than this many coordinates in all is a full pass (default d/8). */
    long fullPassAbove;
    long sparseRoundsDone, fullPassRounds;
    /** Unions of touched coordinates up to this size are combined by the caller alone (no region). */
    int serialUnion = 4096;

    ReplicaWorkers(Problem p, Config cfg) {
        this.problem = p;
        this.data = p.data();
        this.loss = p.loss();
        this.l2 = p.l2();
        this.cfg = cfg;
        this.m = cfg.workers();
        this.threads = Math.min(cfg.threads(), m);
        this.dim = p.dim();
        this.batch = cfg.batch();
        this.delayNanos = (long) (cfg.commDelayMs() * 1e6);
        this.fullPassAbove = dim / 8;
        if (cfg.stragglers() != null) cfg.stragglers().checkWorkers(m);
        RowSubset[] share = cfg.shares().split(data.all(), cfg.seed());
        this.local = new Local[m];
        this.parts = new double[m][];
        this.scales = new double[m];
        this.lo = new int[threads + 1];
        for (int t = 0; t <= threads; t++) lo[t] = (int) ((long) m * t / threads);
        this.start = new double[dim];   // the model at the start of the first period: 0
        this.team = Team.start(threads, cfg.barrier());
        try {
            // every replica is allocated (first touched) by the thread that will run its worker
            team.run(t -> {
                for (int i = lo[t]; i < lo[t + 1]; i++) {
                    Local l = new Local(i, share[i]);
                    local[i] = l;
                    parts[i] = l.v;
                    scales[i] = 1;
                }
            });
        } catch (RuntimeException e) {
            team.close();
            throw e;
        }
    }

    int workers() { return m; }
    int threads() { return threads; }
    int shareSize(int i) { return local[i].part.size(); }

    /** The global model after an {@link #average} (all replicas equal, s = 1); do not modify. */
    double[] model() {
        if (!lazy) return parts[0];
        if (modelStale) {
            if (gScale == 1) System.arraycopy(g, 0, modelBuf, 0, dim);
            else for (int j = 0; j < dim; j++) modelBuf[j] = gScale * g[j];
            modelStale = false;
        }
        return modelBuf;
    }

    /** Whether the global model after the last {@link #average} is finite (O(touched) on sparse rounds). */
    boolean finite() { return lazy ? finite : Periodic.allFinite(parts[0]); }

    /**
     * Turns sparse rounds on (between regions, all replicas equal): {@code null} = when they
     * pay (sparse data with at most d/8 non-zeros per row on average, no local momentum),
     * true = whenever possible (not with local momentum: its buffers are dense), false = never.
     * Only {@link Combine#AVERAGE} may follow.
     */
    boolean sparseRounds(Boolean mode) {
        boolean want = mode != null ? mode
                : data.isSparse() && data.rows() > 0 && data.nnz() * 8 <= (long) data.rows() * dim;
        if (!want || cfg.localMomentum() > 0 || lazy) return lazy;
        g = parts[0].clone();
        for (int j = 0; j < dim; j++) g[j] *= scales[0];
        modelBuf = new double[dim];
        seen = new int[dim];
        shrink = new double[m];
        bufs = new double[threads][m];
        union = new int[Math.min(dim, 1 << 16)];
        gScale = 1;
        modelStale = true;
        team.run(t -> { for (int i = lo[t]; i < lo[t + 1]; i++) local[i].goLazy(); });   // stamps first touched by their thread
        lazy = true;
        return true;
    }

    /** Sets every replica to {@code x} (between regions). */
    void setAll(double[] x) {
        if (lazy) {
            System.arraycopy(x, 0, g, 0, dim);
            gScale = 1;
            modelStale = true;
            nextPeriod();
            return;
        }
        System.arraycopy(x, 0, start, 0, dim);
        for (int i = 0; i < m; i++) { System.arraycopy(x, 0, parts[i], 0, dim); scales[i] = 1; local[i].s = 1; }
    }

    /** Starts the pacers' clocks. */
    void beginPacers() {
        team.run(t -> { for (int i = lo[t]; i < lo[t + 1]; i++) local[i].pacer.begin(); });
    }

    /**
     * Every worker runs {@code steps} local steps, step k (global local-step index from
     * {@code k0}) with the rate {@code eta.at(k)}; {@code fullShare}: each step is a full
     * gradient step on the worker's share (FedAvg's local GD) instead of a mini-batch.
     */
    void localSteps(int steps, long k0, Rate eta, boolean fullShare) {
        long t0 = System.nanoTime();
        team.run(t -> {
            for (int i = lo[t]; i < lo[t + 1]; i++) {
                Local l = local[i];
                if (l.part.size() == 0) continue;             // a worker with no data does nothing
                for (int k = 0; k < steps; k++) {
                    if (team.stopRequested()) return;
                    long w0 = l.pacer.idle() ? 0 : System.nanoTime();
                    l.step(eta.at(k0 + k), fullShare);
                    if (hook != null) hook.after(i, k0 + k);
                    if (!l.pacer.idle()) l.pacer.afterWork(System.nanoTime() - w0, team::stopRequested);
                }
                scales[i] = l.s;
            }
        });
        computeNanos += System.nanoTime() - t0;
        long active = 0;
        for (Local l : local) if (l.part.size() > 0) active++;
        localSteps += active * steps;
    }

    /**
     * Combines the replicas into the next global model and writes it back to every replica
     * (then every s_i = 1 and every local momentum buffer is cleared):
     * <ul>
     *   <li>AVERAGE: x = tree(x^(1..M)) / M (seed 003 eq. (1));</li>
     *   <li>BLOCK_MOMENTUM: Delta = x_start - average, u = beta u + Delta / eta,
     *       x = x_start - eta u (eq. (7)-(8), with G_j = Delta / eta the period's accumulated
     *       average gradient);</li>
     *   <li>FEDAVG: p = tree(x_start - x^(k)) / M, x = x_start - alpha p (seed 000 sec. 4.1).</li>
     * </ul>
     * {@code coef} is eta (block momentum) or alpha (FedAvg); {@code beta} the global momentum.
     * Then waits the injected communication delay.
     */
    void average(Combine how, double coef, double beta) {
        long t0 = System.nanoTime();
        if (lazy) {
            if (how != Combine.AVERAGE) throw new IllegalStateException("sparse rounds support plain averaging only, not " + how);
            averageLazy();
            endRound(t0);
            return;
        }
        if (how == Combine.BLOCK_MOMENTUM && u == null) u = new double[dim];
        final double[] xs = start, uu = u;
        final double inv = m;
        if (m > 1 || how != Combine.AVERAGE || scales[0] != 1) {
            team.run(t -> {
                int a = slice(t, threads, dim), b = slice(t + 1, threads, dim);
                if (how == Combine.AVERAGE && m == 2 && scales[0] == 1 && scales[1] == 1) {
                    // the tree for two replicas, fused into one pass: the same operations, the same bits
                    double[] p0 = parts[0], p1 = parts[1];
                    for (int j = a; j < b; j++) { double x = (p0[j] + p1[j]) / inv; p0[j] = x; p1[j] = x; }
                    return;
                }
                for (int c = a; c < b; c += CHUNK) {
                    int e = Math.min(b, c + CHUNK);
                    for (int i = 0; i < m; i++) {
                        double s = scales[i];
                        double[] p = parts[i];
                        if (how == Combine.FEDAVG) for (int j = c; j < e; j++) p[j] = xs[j] - s * p[j];
                        else if (s != 1) for (int j = c; j < e; j++) p[j] *= s;
                    }
                    Blocks.treeReduce(parts, m, c, e);
                    double[] p0 = parts[0];
                    switch (how) {
                        case AVERAGE -> { for (int j = c; j < e; j++) p0[j] = p0[j] / inv; }
                        case BLOCK_MOMENTUM -> {
                            for (int j = c; j < e; j++) {
                                double delta = xs[j] - p0[j] / inv;
                                uu[j] = beta * uu[j] + delta / coef;
                                double x = xs[j] - coef * uu[j];
                                xs[j] = x;
                                p0[j] = x;
                            }
                        }
                        case FEDAVG -> {
                            for (int j = c; j < e; j++) {
                                double x = xs[j] - coef * (p0[j] / inv);
                                xs[j] = x;
                                p0[j] = x;
                            }
                        }
                    }
                    for (int i = 1; i < m; i++) System.arraycopy(p0, c, parts[i], c, e - c);
                }
            });
        }
        for (int i = 0; i < m; i++) { scales[i] = 1; local[i].s = 1; if (local[i].mom != null) local[i].clearMomentum = true; }
        endRound(t0);
    }

    private void endRound(long t0) {
        rounds++;
        if (delayNanos > 0) {
            long c0 = System.nanoTime(), end = c0 + delayNanos;
            // park while far from the end, spin the last 200 us: a delay of a few local steps must be precise
            for (long left; (left = end - System.nanoTime()) > 0; ) {
                if (left > 200_000) LockSupport.parkNanos(left - 150_000);
                else Thread.onSpinWait();
            }
            commNanos += System.nanoTime() - c0;
        }
        aggregateNanos += System.nanoTime() - t0;
    }

    /**
     * The sparse round (class comment): the touched coordinates, or all of them when more than
     * {@link #fullPassAbove} were touched, get x_j = (1/M) tree_i(touched_i(j) ? s_i v_ij :
     * r_i G g_j); the others keep g_j under G' = G rbar. Then every replica is the average again.
     */
    private void averageLazy() {
        final double[] r = shrink, tmp = bufs[0];
        long total = 0;
        for (int i = 0; i < m; i++) { Local l = local[i]; r[i] = l.base * l.s; tmp[i] = r[i]; total += l.nTouched; }
        final double rbar = Blocks.treeSum(tmp, m) / m;
        final double gOld = gScale;
        boolean ok;
        if (total > fullPassAbove) {
            // a full pass, the same formula on every coordinate; afterwards G = 1
            final boolean[] fin = new boolean[threads];
            team.run(t -> {
                double[] buf = bufs[t];
                boolean f = true;
                for (int j = slice(t, threads, dim), e = slice(t + 1, threads, dim); j < e; j++) {
                    double x = combine(j, gOld * g[j], r, buf);
                    g[j] = x;
                    f &= Double.isFinite(x);
                }
                fin[t] = f;
            });
            ok = true;
            for (boolean f : fin) ok &= f;
            gScale = 1;
            fullPassRounds++;
        } else {
            // the union of the touched lists, deduplicated by the shared stamp array
            int n = 0;
            for (int i = 0; i < m; i++) {
                Local l = local[i];
                for (int q = 0; q < l.nTouched; q++) {
                    int j = l.touched[q];
                    if (seen[j] != period) {
                        seen[j] = period;
                        if (n == union.length) union = Arrays.copyOf(union, (int) Math.min(dim, 2L * n));
                        union[n++] = j;
                    }
                }
            }
            final double gNew = gOld * rbar;
            final int size = n;
            final int[] u = union;
            if (size <= serialUnion || threads == 1) {
                ok = combineUnion(u, 0, size, gOld, gNew, r, bufs[0]);
            } else {
                final boolean[] fin = new boolean[threads];
                team.run(t -> fin[t] = combineUnion(u, (int) ((long) size * t / threads), (int) ((long) size * (t + 1) / threads),
                        gOld, gNew, r, bufs[t]));
                ok = true;
                for (boolean f : fin) ok &= f;
            }
            gScale = gNew;
            if (!(gNew >= Sgd.State.MIN_SCALE) || !Double.isFinite(gNew)) {
                // fold the global scale into g (rare: rbar^rounds below 1e-9)
                for (int j = 0; j < dim; j++) g[j] *= gNew;
                gScale = 1;
            }
            sparseRoundsDone++;
        }
        finite = ok && Double.isFinite(gScale);
        modelStale = true;
        nextPeriod();
    }

    /** Coordinates u[a..b) of the union: g_j = x_j / G'. Returns whether all are finite. */
    private boolean combineUnion(int[] u, int a, int b, double gOld, double gNew, double[] r, double[] buf) {
        boolean f = true;
        for (int q = a; q < b; q++) {
            int j = u[q];
            double x = combine(j, gOld * g[j], r, buf);
            g[j] = x / gNew;
            f &= Double.isFinite(x);
        }
        return f;
    }

    /** x_j = (1/M) tree_i(touched_i(j) ? s_i v_ij : r_i x_j(start)). */
    private double combine(int j, double xStart, double[] r, double[] buf) {
        for (int i = 0; i < m; i++) {
            Local l = local[i];
            buf[i] = l.stamp[j] == period ? l.s * l.v[j] : r[i] * xStart;
        }
        return Blocks.treeSum(buf, m) / m;
    }

    /** Starts a new period of sparse rounds: every replica equals x = G g again (stamps outdated). */
    private void nextPeriod() {
        for (int i = 0; i < m; i++) { Local l = local[i]; l.s = 1; l.base = 1; l.nTouched = 0; scales[i] = 1; }
        if (period == Integer.MAX_VALUE) {
            for (Local l : local) Arrays.fill(l.stamp, 0);
            Arrays.fill(seen, 0);
            period = 0;
        }
        period++;
    }

    /**
     * F(w) on the training data, evaluated by the team over a fixed number of row blocks
     * added by the fixed tree: the same bits at any thread count (AdaComm's F(x_l)).
     */
    double objective(double[] w) {
        int n = data.rows();
        int blocks = Math.min(Blocks.MAX_BLOCKS, n);
        double[] sums = new double[blocks];
        team.run(t -> {
            Row r = new Row();
            for (int bl = t; bl < blocks; bl += threads) {
                double s = 0;
                for (int i = Blocks.start(bl, blocks, n), e = Blocks.start(bl + 1, blocks, n); i < e; i++) {
                    data.row(i, r);
                    s += loss.value(Kernels.dot(r, w), r.label);
                }
                sums[bl] = s;
            }
        });
        return Blocks.treeSum(sums, blocks) / n + problem.penalty(w);
    }

    /** Start of slice k of {@code of} over [0, dim), on cache-line boundaries. */
    static int slice(int k, int of, int dim) {
        if (k >= of) return dim;
        long lines = (dim + LINE - 1) / LINE;
        return (int) Math.min(dim, lines * k / of * LINE);
    }

    /** Mean over threads of the team's barrier waits, seconds. */
    double barrierSeconds() {
        double s = 0;
        for (int t = 0; t < threads; t++) s += team.waitNanos(t);
        return s / threads * 1e-9;
    }

    double[] workerComputeSeconds() {
        double[] c = new double[threads];
        for (int t = 0; t < threads; t++) c[t] = team.computeNanos(t) * 1e-9;
        return c;
    }

    double[] workerBarrierSeconds() {
        double[] c = new double[threads];
        for (int t = 0; t < threads; t++) c[t] = team.waitNanos(t) * 1e-9;
        return c;
    }

    long pacedNanos() {
        long s = 0;
        for (Local l : local) s += l.pacer.waitedNanos();
        return s;
    }

    @Override public void close() { team.close(); }

    /** The step size of local step k. */
    @FunctionalInterface
    interface Rate { double at(long k); }

    /** One logical worker's state; confined to the thread that runs it. */
    private final class Local {
        final RowSubset part;
        final SplittableRandom rnd;
        final int[] order;
        int cursor;
        final int[] ids;
        final double[] v;
        double s = 1;
        // sparse rounds: stamp[j] == period when v[j] is this period's replica value; x_untouched = base s x(start)
        int[] stamp, touched;
        int nTouched;
        double base = 1;
        final double[] mom;
        boolean clearMomentum;
        double[] d;
        final Row row = new Row();
        final Stragglers.Pacer pacer;

        Local(int i, RowSubset part) {
            this.part = part;
            this.rnd = Seeds.forWorker(cfg.seed(), i);
            this.order = new int[part.size()];
            this.cursor = part.size();
            this.ids = new int[batch];
            this.v = new double[dim];
            this.mom = cfg.localMomentum() > 0 ? new double[dim] : null;
            this.d = new double[batch];
            this.pacer = (cfg.stragglers() == null ? Stragglers.NONE : cfg.stragglers()).pacer(i, cfg.seed());
        }

        void goLazy() {
            stamp = new int[dim];
            touched = new int[64];
        }

        /** Copies the period-start value v_j = base G g_j into the coordinates of {@code r} not yet touched this period. */
        private void materialise(Row r) {
            int[] idx = r.indices;
            int p = period;
            double f = base * gScale;
            for (int q = r.offset, e = r.offset + r.nnz; q < e; q++) {
                int j = idx == null ? q - r.offset : idx[q];
                if (stamp[j] != p) {
                    stamp[j] = p;
                    v[j] = f * g[j];
                    if (nTouched == touched.length) touched = Arrays.copyOf(touched, (int) Math.min(dim, 2L * nTouched));
                    touched[nTouched++] = j;
                }
            }
        }

        /** The next b row ids of the endless sequence of permutations of this share. */
        private int nextBatch() {
            int n = part.size();
            for (int q = 0; q < batch; q++) {
                if (cursor == n) { Sgd.epochOrder(n, rnd, order); cursor = 0; }
                ids[q] = part.rowId(order[cursor++]);
            }
            return batch;
        }

        void step(double eta, boolean fullShare) {
            int b;
            int[] rows;
            if (fullShare) {
                b = part.size();
                if (d.length < b) d = new double[b];
                rows = null;
            } else {
                b = nextBatch();
                rows = ids;
            }
            for (int k = 0; k < b; k++) {
                data.row(rows == null ? part.rowId(k) : rows[k], row);
                if (stamp != null) materialise(row);
                d[k] = loss.derivative(s * Kernels.dot(row, v), row.label);
            }
            if (mom == null) {
                if (l2 != 0) {
                    s *= 1 - eta * l2;
                    if (s < Sgd.State.MIN_SCALE) {
                        if (stamp == null) Kernels.get().scale(s, v, 0, dim);
                        else { for (int q = 0; q < nTouched; q++) v[touched[q]] *= s; base *= s; }   // untouched: base s x(start)
                        s = 1;
                    }
                }
                for (int k = 0; k < b; k++) {
                    if (d[k] == 0) continue;
                    data.row(rows == null ? part.rowId(k) : rows[k], row);
                    Kernels.axpy(-eta * d[k] / (b * s), row, v);
                }
            } else {
                // s == 1 throughout: the momentum path never shrinks by scale
                if (clearMomentum) { Arrays.fill(mom, 0); clearMomentum = false; }
                double mu = cfg.localMomentum();
                for (int j = 0; j < dim; j++) mom[j] = mu * mom[j] + l2 * v[j];
                for (int k = 0; k < b; k++) {
                    if (d[k] == 0) continue;
                    data.row(rows == null ? part.rowId(k) : rows[k], row);
                    Kernels.axpy(d[k] / b, row, mom);
                }
                for (int j = 0; j < dim; j++) v[j] -= eta * mom[j];
            }
        }
    }
}
