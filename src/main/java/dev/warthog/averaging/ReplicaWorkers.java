package dev.warthog.averaging;

import dev.warthog.data.Dataset;
import dev.warthog.data.Prefetch;
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
 * replica); with sparse rounds and a fixed tau, {@link #sparsePeriods} runs many periods in
 * one region instead. Every floating-point operation depends only on M, the seed and the
 * settings, never on T: runs are bit-identical at any thread count.
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
 * <p><b>Average</b>: one region over cache-line slices of the coordinates (the caller alone
 * when M d is at most {@link #serialAverage} or T = 1); per chunk of a
 * slice the replicas are scaled by their s_i, added by the tree, and the average written back
 * to all of them, so the round is one pass over the M replicas. {@link Combine} also gives
 * the block-momentum update (eq. (7)-(8)) and the FedAvg server step (seed 000 section 4.1)
 * in the same pass. The injected communication delay D is a real-time wait of the caller
 * after the region, while the other threads wait at the next start barrier.
 *
 * <p><b>Sparse rounds</b> ({@link #sparseRounds}; plain AVERAGE, no local momentum, sparse
 * data): the dense round above is O(d M) even when a period of tau sparse steps touched a few
 * hundred coordinates. Then the global model is kept as x = G g (a global lazy scale G), and
 * worker i's replica as x^(i) = s_i (base_i G g + u_i) with u_i its period's change, zero
 * except on the coordinates its steps wrote, which it logs: every write appends its coordinate
 * and the change it added, with no test of whether the coordinate was written before (that
 * test and the append to a per-owner list it guarded cost about a third of a 1-thread run,
 * docs/benchmarks.md section 7). A local step reads g and u_i on a row's non-zeros (no copy of
 * the period-start values); the shrink (1 - eta l2) goes into s_i as before. The average of
 * seed 003 eq. (1) is linear: x_j = rbar G g_j + (1/M) sum_i s_i u_ij with
 * rbar = (1/M) sum_i s_i base_i, so G' = G rbar takes every unwritten coordinate at O(1) and
 * each written one gets g_j += s_i delta / (M G') for every change delta logged for it, workers
 * in index order and each worker's changes in step order ({@link Round}): u_ij is the sum of
 * those changes, added one by one instead of summed first. A round costs O(logged writes).
 *
 * <p><b>A copy of g per thread</b>: every thread keeps its own copy of g, and its workers'
 * steps read only that copy and their own u, lines that no other core writes. A worker's log
 * is its pack for the round ({@link Pack}): it has two and writes period p's into the one of
 * p's parity, so packing is only recording its length, s and base. Every thread then adds
 * every worker's pack to its own copy, workers in index order, so the copies keep the same
 * bits, and the thread that runs a worker sets its u back to 0 in the same pass (the lines are
 * its own, just read). With more than one thread, a worker takes its log's lines back from
 * the other threads' caches in one burst when its period starts ({@link Local#claimLog}). A
 * round is one barrier crossing. Period p + 1's steps overwrite the pack of period p - 1; their
 * thread has crossed the barrier before round p, which no thread reaches before it has
 * finished round p - 1, the last reader of that pack. Each thread adds all the entries, not a
 * share of them: with a shared g and owners per coordinate (the previous design) the round
 * wrote lines that the other core's next steps read, and those steps ran 1.5x slower per
 * sample (docs/benchmarks.md section 7). Logging the changes saves the pass
 * that copied each written u_ij into a pack and cleared it (about 8 ns per entry on analog
 * data), and is the same work at any T. The operations on each coordinate depend only on the
 * sampled rows, never on T, so the bits do not either; the rounding differs from the dense
 * path (each logged change is added to g on its own; a coordinate written often costs the
 * round an entry per write until a cut), and tests hold both to a serial reference within
 * 1e-12. Memory per worker: u (d doubles), two logs (each up
 * to about 4 d entries of an int and a double) and, after a fold or a cut, d marks; plus T
 * copies of g (d doubles each).
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
    private final double[] scales;       // s_i, written by worker i before a barrier (dense rounds only)
    private final int[] lo;              // thread t runs workers [lo[t], lo[t+1])
    private final long delayNanos;
    StepHook hook;

    // global state of the block momentum / FedAvg combine (x at the period start, u)
    private final double[] start;
    private double[] u;

    long computeNanos, aggregateNanos, commNanos, localSteps, rounds;
    /**
     * When the last timed phase (local steps or a round) ended, if nothing untimed ran since
     * (the model read, F evaluated, replicas set): the next phase starts its clock there, so
     * back-to-back phases read the clock once each (29 ns a read here, a tenth of a round of
     * 1,000 coordinates).
     */
    private long lap;
    private boolean lapValid;

    // sparse rounds (see the class comment): x = gScale g between rounds
    private boolean lazy;
    private double[] g, modelBuf;     // g: thread 0's copy of the global model's v
    private double[][] gOf;           // gOf[t]: thread t's copy (gOf[0] == g), all with the same bits between rounds
    private int parity;               // which of the workers' two packs (logs) the next round reads
    private boolean roundPending;     // sparse rounds: local steps were logged and await their round
    private double gScale = 1;
    private boolean modelStale, finite = true;
    private Round[] roundOf;         // a round's factors, one per thread
    private boolean[] roundFinite;   // per thread: its copy of g came out finite (averageLazy)
    long sparseRoundsDone;
    /** Rounds run inside {@link #sparsePeriods}' single regions (the rest had a region of their own). */
    long oneRegionRounds;
    /** Rounds outside {@link #sparsePeriods} whose packs, times the T copies of g, hold up to this many entries are applied by the caller alone, to every copy (no region). */
    int serialApply = 4096;
    /**
     * Dense rounds over at most this many doubles in all (M d) are done by the caller alone
     * between the regions: below it a region's two barrier crossings cost more than the pass
     * (docs/benchmarks.md section 7).
     */
    long serialAverage = 4096;

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
        lapValid = false;   // the caller's use of the model is not a phase
        if (!lazy) return parts[0];
        if (modelStale) {
            if (gScale == 1) System.arraycopy(g, 0, modelBuf, 0, dim);
            else for (int j = 0; j < dim; j++) modelBuf[j] = gScale * g[j];
            modelStale = false;
        }
        return modelBuf;
    }

    /** Whether the global model after the last {@link #average} is finite (O(touched) on sparse rounds). */
    boolean finite() {
        if (lazy) return finite;
        lapValid = false;   // an O(d) scan by the caller alone: not part of the next phase
        return Periodic.allFinite(parts[0]);
    }

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
        gOf = new double[threads][];
        gOf[0] = g;
        final double[] g0 = g;
        roundOf = new Round[threads];
        // each copy first touched by its thread; each Round too, so that no two threads' Rounds
        // (written by each after every barrier) share a cache line
        team.run(t -> {
            if (t > 0) gOf[t] = g0.clone();
            roundOf[t] = new Round();
        });
        modelBuf = new double[dim];
        roundFinite = new boolean[threads];
        gScale = 1;
        modelStale = true;
        team.run(t -> { for (int i = lo[t]; i < lo[t + 1]; i++) local[i].goLazy(gOf[t]); });   // u first touched by its thread
        lazy = true;
        return true;
    }

    /** Sets every replica to {@code x} (between regions). */
    void setAll(double[] x) {
        lapValid = false;
        if (lazy) {
            for (double[] gt : gOf) System.arraycopy(x, 0, gt, 0, dim);
            gScale = 1;
            modelStale = true;
            for (Local l : local) { l.clearTouched(); l.nextPeriod(1); }
            roundPending = false;   // a period packed but not yet averaged is dropped (clearTouched cleared its u)
            return;
        }
        System.arraycopy(x, 0, start, 0, dim);
        for (int i = 0; i < m; i++) { System.arraycopy(x, 0, parts[i], 0, dim); scales[i] = 1; local[i].s = 1; }
    }

    /** Starts the pacers' clocks. */
    void beginPacers() {
        lapValid = false;
        team.run(t -> { for (int i = lo[t]; i < lo[t + 1]; i++) local[i].pacer.begin(); });
    }

    /**
     * Every worker runs {@code steps} local steps, step k (global local-step index from
     * {@code k0}) with the rate {@code eta.at(k)}; {@code fullShare}: each step is a full
     * gradient step on the worker's share (FedAvg's local GD) instead of a mini-batch.
     */
    void localSteps(int steps, long k0, Rate eta, boolean fullShare) {
        // sparse rounds pack each period once: a second run of steps would overwrite the first's packs
        if (roundPending) throw new IllegalStateException("sparse rounds: local steps twice without an average between them");
        long t0 = phaseStart();
        final int par = parity;
        team.run(t -> runLocal(t, steps, k0, eta, fullShare, par));
        // a stop without a failure ends the steps early: workers that did not pack would leave packs of an older period
        if (lazy && team.stopRequested()) throw new IllegalStateException("local steps were stopped inside their region; the packs are incomplete");
        roundPending = lazy;
        long t1 = System.nanoTime();
        computeNanos += t1 - t0;
        lap(t1);
        localSteps += activeWorkers() * steps;
    }

    /** Thread t's workers each run {@code steps} local steps (see {@link #localSteps}). */
    private void runLocal(int t, int steps, long k0, Rate eta, boolean fullShare, int par) throws Exception {
        for (int i = lo[t]; i < lo[t + 1]; i++) {
            Local l = local[i];
            if (l.sparse) l.logInto(par);
            if (l.part.size() == 0) {                     // a worker with no data does nothing
                if (l.sparse) l.pack(par);                // (an empty pack: the round reads its s and base)
                continue;
            }
            for (int k = 0; k < steps; k++) {
                if (team.stopRequested()) return;
                long w0 = l.pacer.idle() ? 0 : System.nanoTime();
                l.step(eta.at(k0 + k), fullShare);
                if (hook != null) hook.after(i, k0 + k);
                if (!l.pacer.idle()) l.pacer.afterWork(System.nanoTime() - w0, team::stopRequested);
            }
            // sparse rounds read s from the packs: no write to scales, whose slots share a line between threads
            if (l.sparse) l.pack(par);
            else scales[i] = l.s;
        }
    }

    private long activeWorkers() {
        long active = 0;
        for (Local l : local) if (l.part.size() > 0) active++;
        return active;
    }

    /**
     * Whether {@link #sparsePeriods} may run the next periods: sparse rounds are on and no
     * communication delay is injected (the delay is a wait of everyone between two regions).
     */
    boolean canFusePeriods() { return lazy && delayNanos == 0; }

    /**
     * {@code periods} whole periods of plain averaging with sparse rounds in one region: each
     * is {@code tau} local steps ({@code lastSteps} for the last one) and its workers' packs,
     * an in-region barrier ({@link Team#sync}), the round added by every thread to its own copy
     * of g, and the next period. One barrier crossing per period instead of the four of
     * {@link #localSteps} and {@link #average}, and no caller's work between them: every thread
     * works out the round's factors (rbar, G', c_i) itself from the same values in the same
     * order, and the finite flag from the same sums, so the bits are those of
     * {@link #averageLazy}, at any T. Stops after the first round whose model is not finite.
     * Returns the local steps done per worker.
     */
    long sparsePeriods(int periods, int tau, int lastSteps, long k0, Rate eta) {
        if (!canFusePeriods()) throw new IllegalStateException("fused periods need sparse rounds and no communication delay");
        if (roundPending) throw new IllegalStateException("sparse rounds: fused periods after local steps that were not averaged");
        final long active = activeWorkers();
        final long[] done = new long[2];              // local steps per worker, rounds (thread 0's)
        final int par0 = parity;
        team.run(t -> {
            Round rd = roundOf[t];
            double gs = gScale;                       // the caller's value: the same in every thread
            long k = k0;
            int par = par0;
            for (int p = 0; p < periods; p++) {
                int steps = p == periods - 1 ? lastSteps : tau;
                long c0 = t == 0 ? System.nanoTime() : 0;
                runLocal(t, steps, k, eta, false, par);
                long c1 = t == 0 ? System.nanoTime() : 0;
                if (!team.sync(t)) return;            // every worker's pack of this period complete
                rd.prepare(gs, par);
                boolean ok = rd.apply(gOf[t], par, t);   // the same values in every thread, so the same flag
                ok &= Double.isFinite(rd.gNew);       // a non-finite G' is folded below (and G becomes 1)
                if (rd.needsFold()) {
                    ok &= fold(gOf[t], rd.gNew);      // the same products in every copy
                    gs = 1;
                } else gs = rd.gNew;
                for (int i = lo[t]; i < lo[t + 1]; i++) local[i].nextPeriod(gs);
                k += steps;
                par ^= 1;                             // the next period packs into the other pack: this one may still be read
                if (t == 0) {
                    // the caller's counters, by the caller's thread (worker 0)
                    sparseRoundsDone++;
                    rounds++;
                    oneRegionRounds++;
                    localSteps += active * steps;
                    done[0] += steps;
                    done[1]++;
                    computeNanos += c1 - c0;
                    aggregateNanos += System.nanoTime() - c1;
                    gScale = gs;
                    finite = ok && Double.isFinite(gs);
                }
                if (!ok || !Double.isFinite(gs)) return;   // every thread computed the same flag
            }
        });
        parity = (int) ((par0 + done[1]) & 1);
        modelStale = true;
        lapValid = false;
        // requestStop without a failure breaks sync too and may leave a round half applied: never a model to go on from
        if (team.stopRequested()) throw new IllegalStateException("a run of periods was stopped inside its region; the model is incomplete");
        return done[0];
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
        long t0 = phaseStart();
        if (lazy) {
            if (how != Combine.AVERAGE) throw new IllegalStateException("sparse rounds support plain averaging only, not " + how);
            averageLazy();
            endRound(t0);
            return;
        }
        if (how == Combine.BLOCK_MOMENTUM && u == null) u = new double[dim];
        if (m > 1 || how != Combine.AVERAGE || scales[0] != 1) {
            // small replicas: the caller alone, between the regions (no barrier crossing at all);
            // larger: one region over cache-line slices. The same operations per coordinate.
            if ((long) m * dim <= serialAverage || threads == 1) combineSlice(0, dim, how, coef, beta);
            else team.run(t -> combineSlice(slice(t, threads, dim), slice(t + 1, threads, dim), how, coef, beta));
        }
        for (int i = 0; i < m; i++) { scales[i] = 1; local[i].s = 1; if (local[i].mom != null) local[i].clearMomentum = true; }
        endRound(t0);
    }

    /** The dense round on coordinates [a, b): see {@link #average}. */
    private void combineSlice(int a, int b, Combine how, double coef, double beta) {
        final double[] xs = start, uu = u;
        final double inv = m;
        if (how == Combine.AVERAGE && m == 2 && scales[0] == 1 && scales[1] == 1) {
            // the tree for two replicas, fused into one pass: (p0 + p1) / 2, the same bits
            Kernels.get().average2(parts[0], parts[1], a, b);
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
        long t1 = System.nanoTime();
        aggregateNanos += t1 - t0;
        lap(t1);
    }

    /** The clock at the start of a phase: the end of the previous one when nothing untimed ran in between. */
    private long phaseStart() { return lapValid ? lap : System.nanoTime(); }

    private void lap(long now) {
        lap = now;
        lapValid = true;
    }

    /**
     * The sparse round between regions (class comment): the factors from the packs, then every
     * worker's pack added to every thread's copy of g, by the team or, for small rounds
     * ({@link #serialApply}), by the caller alone; the same operations either way.
     */
    private void averageLazy() {
        final int par = parity;
        if (!roundPending) for (Local l : local) l.packs[par].clear();   // no steps since the last round: an empty one
        roundPending = false;
        Round rd = roundOf[0];
        rd.prepare(gScale, par);
        boolean ok = Double.isFinite(rd.gNew);   // a non-finite G' is folded below (and G becomes 1)
        if (rd.total * threads <= serialApply || threads == 1) {
            for (int t = 0; t < threads; t++) ok &= rd.apply(gOf[t], par, t);
        } else {
            final boolean[] fin = roundFinite;
            team.run(t -> fin[t] = rd.apply(gOf[t], par, t));
            for (boolean f : fin) ok &= f;
        }
        sparseRoundsDone++;
        gScale = rd.gNew;
        if (rd.needsFold()) {
            // fold the global scale into g (rare: rbar^rounds below 1e-9)
            for (double[] gt : gOf) ok &= fold(gt, rd.gNew);
            gScale = 1;
        }
        parity = par ^ 1;
        finite = ok && Double.isFinite(gScale);
        modelStale = true;
        for (Local l : local) l.nextPeriod(gScale);
    }

    /** gt_j *= f for every j (folds the global scale into a copy of g); whether every gt_j is still finite. */
    private boolean fold(double[] gt, double f) {
        boolean ok = true;
        for (int j = 0; j < dim; j++) ok &= Double.isFinite(gt[j] *= f);
        return ok;
    }

    /**
     * One sparse round's factors (class comment), worked out from the workers' packs: one per
     * thread, so that in {@link #sparsePeriods} every thread computes them itself (the same
     * operations on the same values, so the same bits as the caller's).
     */
    private final class Round {
        final double[] r = new double[m], c = new double[m];
        // the workers' packs, read through this thread's own array rather than through worker i's
        // Local, whose fields beside packs (open, log, delta) its thread writes every period
        final Pack[][] packsOf = new Pack[m][];
        long total;
        double gNew;

        Round() { for (int i = 0; i < m; i++) packsOf[i] = local[i].packs; }

        void prepare(double gOld, int par) {
            total = 0;
            for (int i = 0; i < m; i++) { Pack pk = packsOf[i][par]; r[i] = pk.base * pk.s; total += pk.n; }
            double rbar = Blocks.treeSum(r, m) / m;   // r is scratch: the tree may overwrite it
            gNew = gOld * rbar;
            for (int i = 0; i < m; i++) c[i] = packsOf[i][par].s / (m * gNew);
        }

        /** A fold of G' into g is due (G' below 1e-9, or not finite). */
        boolean needsFold() { return !(gNew >= Sgd.State.MIN_SCALE) || !Double.isFinite(gNew); }

        /**
         * Every worker's pack added to thread t's copy of g, workers in index order and each
         * pack in step order: gt_j += c_i delta. Thread t's own workers' u_ij go back to 0 in
         * the same pass (by whichever thread applies copy t: each u is cleared once).
         */
        boolean apply(double[] gt, int par, int t) {
            boolean f = true;
            for (int i = 0; i < m; i++) {
                Pack pk = packsOf[i][par];
                final int[] idx = pk.idx;
                final double[] val = pk.val;
                final double ci = c[i];
                final int n = pk.n;
                if (i >= lo[t] && i < lo[t + 1]) {
                    final double[] u = local[i].v;
                    for (int q = 0; q < n; q++) {
                        int j = idx[q];
                        double x = gt[j] + ci * val[q];
                        gt[j] = x;
                        u[j] = 0;
                        f &= Double.isFinite(x);
                    }
                } else {
                    for (int q = 0; q < n; q++) {
                        int j = idx[q];
                        double x = gt[j] + ci * val[q];
                        gt[j] = x;
                        f &= Double.isFinite(x);
                    }
                }
            }
            return f;
        }
    }

    /**
     * A worker's period for the round: its log (every write's coordinate and change, in step
     * order, or after a cut each coordinate's u_j first), and its s and base.
     */
    private static final class Pack {
        int[] idx = new int[0];
        double[] val = new double[0];
        int n;
        double s = 1, base = 1;

        /** An empty period: nothing written, no shrink. */
        void clear() { n = 0; s = 1; base = 1; }
    }

    /**
     * F(w) on the training data, evaluated by the team over a fixed number of row blocks
     * added by the fixed tree: the same bits at any thread count (AdaComm's F(x_l)).
     */
    double objective(double[] w) {
        lapValid = false;
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

    /** Times a worker's log was cut to one entry per coordinate, (j, u_j) (between regions). */
    long logCuts() {
        long n = 0;
        for (Local l : local) n += l.cuts;
        return n;
    }

    /** The longest log array of a worker (between regions). */
    int logCapacity() {
        int n = 0;
        for (Local l : local) if (l.sparse) for (Pack pk : l.packs) n = Math.max(n, pk.idx.length);
        return n;
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

    /**
     * One logical worker's state, written by the thread that runs it during the local steps.
     * On sparse rounds the other threads read only its packs (its logs), after the in-region
     * barrier ({@link Team#sync}) or between regions; its u stays private to its thread.
     */
    private final class Local {
        final RowSubset part;
        final SplittableRandom rnd;
        final int[] order;
        // the current permutation's rows resolved (RowSubset.resolve): a step reads no row pointers
        final int[] resOff, resNnz;
        final double[] resLabel;
        int cursor;
        // the mini-batch: offsets, lengths and labels of its b rows
        final int[] bOff, bNnz;
        final double[] bLabel;
        /** The replica's v (x = s v); on sparse rounds u, the period's sparse change (x = s (base G g + u)). */
        final double[] v;
        double s = 1;
        // sparse rounds: u[j] != 0 only for j in log[0, logged) (a j may appear many times); the round clears u there
        boolean sparse;
        double[] mine;        // the copy of g of the thread that runs this worker
        final Pack[] packs = {new Pack(), new Pack()};   // by period parity: one written while the other may still be read
        // this period's log, the arrays of packs[parity]: every write's coordinate and change in step order
        Pack open;
        int[] log;
        double[] delta;
        int logged;
        long cuts;          // logs cut to one entry per coordinate (growLog)
        double base = 1;
        double gs = 1;            // the global model's scale G this period (x = G g)
        final double[] mom;
        boolean clearMomentum;
        double touched;     // Prefetch's loads end here, so they are not dropped
        double[] d;
        final Row row = new Row();
        final Stragglers.Pacer pacer;

        Local(int i, RowSubset part) {
            this.part = part;
            this.rnd = Seeds.forWorker(cfg.seed(), i);
            int n = part.size();
            this.order = new int[n];
            this.resOff = new int[n];
            this.resNnz = new int[n];
            this.resLabel = new double[n];
            this.cursor = n;
            this.bOff = new int[batch];
            this.bNnz = new int[batch];
            this.bLabel = new double[batch];
            this.v = new double[dim];
            this.mom = cfg.localMomentum() > 0 ? new double[dim] : null;
            this.d = new double[batch];
            this.pacer = (cfg.stragglers() == null ? Stragglers.NONE : cfg.stragglers()).pacer(i, cfg.seed());
            row.values = data.values();
            row.indices = data.indices();
        }

        /** Sparse rounds from now on: v becomes u = 0 (the replica equals the global model). */
        void goLazy(double[] copy) {
            Arrays.fill(v, 0);
            mine = copy;
            for (Pack pk : packs) {        // first touched by the thread that writes them
                pk.idx = new int[1024];
                pk.val = new double[1024];
            }
            logInto(0);
            sparse = true;
        }

        /**
         * The period about to start logs into {@code packs[par]}, by the thread that runs this
         * worker; its log is empty ({@link #nextPeriod} after the last round, or {@link #setAll}, emptied it).
         */
        void logInto(int par) {
            open = packs[par];
            log = open.idx;
            delta = open.val;
            if (threads > 1) claimLog(Math.min(open.n, log.length));
        }

        /**
         * A store every 64 bytes of the log's first n entries, back to back (so about one per
         * cache line; arrays are not line-aligned, so a partial last line may be missed). Other
         * threads, or the caller, read these lines in the round two periods ago, so their caches
         * may still share them and a write must first take them back; issued together those
         * requests overlap, where the steps' log writes would meet them one line at a time
         * (docs/benchmarks.md section 7). No round reads the stored zeros: the steps overwrite
         * the entries the next round reads, and the rest lie past its length. n: this pack's
         * length last time.
         */
        private void claimLog(int n) {
            final int[] lg = log;
            final double[] dl = delta;
            for (int q = 0; q < n; q += 16) lg[q] = 0;   // 16 ints, 8 doubles: 64-byte lines
            for (int q = 0; q < n; q += 8) dl[q] = 0;
        }

        /**
         * The period's pack for the round, by the thread that ran the steps: its log is already
         * in {@code packs[par]} ({@link #logInto}), so only its length, s and base are recorded.
         * The log stays until the round, which clears u on it.
         */
        void pack(int par) {
            Pack pk = packs[par];
            pk.n = logged;
            pk.s = s;
            pk.base = base;
        }

        /**
         * x = s base G g + s u: s folded into u and base (rare: s below 1e-9 within one period).
         * A coordinate logged twice must be scaled once, hence the marks.
         */
        private void foldScale() {
            if (marks == null) marks = new boolean[dim];   // kept: a strong shrink folds every few dozen steps; shared with growLog
            final boolean[] done = marks;
            for (int q = 0; q < logged; q++) {
                int j = log[q];
                if (!done[j]) { done[j] = true; v[j] *= s; }
            }
            for (int q = 0; q < logged; q++) done[log[q]] = false;
            final double[] dl = delta;
            for (int q = 0; q < logged; q++) dl[q] *= s;   // the logged changes in the new units too
            base *= s;
            s = 1;
        }
        private boolean[] marks;

        /**
         * Room for {@code add} more log entries. When the log is full and holds d entries or
         * more, it is first cut to one entry per coordinate, (j, u_j): the sum of its changes so
         * far (a long period writes the same coordinates over and over; later changes are
         * appended after it as before). It doubles when still short, or when the cut freed less
         * than half of it (else a period that wrote nearly every coordinate would cut, O(length),
         * every few steps). So it stays within about 4 d plus a batch's non-zeros (or its first
         * 1024 entries), and a cut costs O(1) per entry appended since the last one.
         */
        private void growLog(int add) {
            boolean cut = false;
            if (logged >= dim) {
                if (marks == null) marks = new boolean[dim];
                final boolean[] seen = marks;
                final int[] lg = log;
                final double[] dl = delta;
                int n = 0;
                for (int q = 0; q < logged; q++) {
                    int j = lg[q];
                    if (!seen[j]) { seen[j] = true; lg[n] = j; dl[n++] = v[j]; }
                }
                for (int q = 0; q < n; q++) seen[lg[q]] = false;
                logged = n;
                cuts++;
                cut = true;
            }
            if (logged + add > log.length || (cut && logged > log.length / 2)) {
                int len = Math.max(logged + add, 2 * log.length);
                open.idx = log = Arrays.copyOf(log, len);
                open.val = delta = Arrays.copyOf(delta, len);
            }
        }

        /** u back to 0 on the logged coordinates, log emptied (between regions). */
        void clearTouched() {
            for (int q = 0; q < logged; q++) v[log[q]] = 0;
            forgetLog();
        }

        void forgetLog() { logged = 0; }

        /** After a sparse round (packs applied): x = G g again, with G = {@code gs}; by the thread that runs this worker. */
        void nextPeriod(double gs) {
            forgetLog();
            s = 1;
            base = 1;
            this.gs = gs;
        }

        /** The next b rows of the endless sequence of permutations of this share, resolved into bOff/bNnz/bLabel. */
        private void nextBatch() {
            int n = part.size();
            for (int q = 0; q < batch; q++) {
                if (cursor == n) {
                    Sgd.epochOrder(n, rnd, order);
                    part.resolve(order, n, resOff, resNnz, resLabel);
                    cursor = 0;
                }
                // every 16 positions of the permutation, its next 16 rows are touched: their misses overlap
                touched += Prefetch.block(row.values, row.indices, resOff, resNnz, cursor);
                bOff[q] = resOff[cursor];
                bNnz[q] = resNnz[cursor];
                bLabel[q] = resLabel[cursor++];
            }
        }

        private Row batchRow(int k) {
            row.offset = bOff[k];
            row.nnz = bNnz[k];
            row.label = bLabel[k];
            return row;
        }

        void step(double eta, boolean fullShare) {
            if (sparse) { stepSparse(eta); return; }
            int b;
            if (fullShare) {
                b = part.size();
                if (d.length < b) d = new double[b];
            } else {
                nextBatch();
                b = batch;
            }
            for (int k = 0; k < b; k++) {
                Row r = fullShare ? data.row(part.rowId(k), row) : batchRow(k);
                d[k] = loss.derivative(s * Kernels.dot(r, v), r.label);
            }
            if (mom == null) {
                if (l2 != 0) {
                    s *= 1 - eta * l2;
                    if (s < Sgd.State.MIN_SCALE) {
                        Kernels.get().scale(s, v, 0, dim);
                        s = 1;
                    }
                }
                for (int k = 0; k < b; k++) {
                    if (d[k] == 0) continue;
                    Row r = fullShare ? data.row(part.rowId(k), row) : batchRow(k);
                    Kernels.axpy(-eta * d[k] / (b * s), r, v);
                }
            } else {
                // s == 1 throughout: the momentum path never shrinks by scale
                if (clearMomentum) { Arrays.fill(mom, 0); clearMomentum = false; }
                double mu = cfg.localMomentum();
                for (int j = 0; j < dim; j++) mom[j] = mu * mom[j] + l2 * v[j];
                for (int k = 0; k < b; k++) {
                    if (d[k] == 0) continue;
                    Row r = fullShare ? data.row(part.rowId(k), row) : batchRow(k);
                    Kernels.axpy(d[k] / b, r, mom);
                }
                for (int j = 0; j < dim; j++) v[j] -= eta * mom[j];
            }
        }

        /**
         * The local step on a sparse-round replica x = s (base G g + u) (class comment): the
         * margins s (base G (g.x_k) + u.x_k) in one pass over each row, then s *= 1 - eta l2
         * and u -= (eta d_k / (b s)) x_k, logging every coordinate written and its change ({@link #nextBatch}
         * has touched the rows, {@link Prefetch}). Two reads per non-zero (its thread's copy of g,
         * read-only during the steps, and u; both private to the thread), no stamps, no branch.
         */
        private void stepSparse(double eta) {
            nextBatch();
            final int b = batch;
            final double[] x = data.values(), u = v, gg = mine;
            final int[] idx = data.indices();
            final double f = base * gs;
            for (int k = 0; k < b; k++) {
                int o = bOff[k], e = o + bNnz[k];
                double ag = 0, au = 0;
                if (idx != null) {
                    for (int q = o; q < e; q++) { int j = idx[q]; double xq = x[q]; ag += xq * gg[j]; au += xq * u[j]; }
                } else {
                    for (int q = o; q < e; q++) { double xq = x[q]; ag += xq * gg[q - o]; au += xq * u[q - o]; }
                }
                d[k] = loss.derivative(s * (f * ag + au), bLabel[k]);
            }
            if (l2 != 0) {
                s *= 1 - eta * l2;
                if (s < Sgd.State.MIN_SCALE) foldScale();
            }
            int add = 0;
            for (int k = 0; k < b; k++) if (d[k] != 0) add += bNnz[k];
            if (logged + add > log.length) growLog(add);
            final int[] lg = log;
            final double[] dl = delta;
            int n = logged;
            for (int k = 0; k < b; k++) {
                if (d[k] == 0) continue;
                double c = -eta * d[k] / (b * s);
                int o = bOff[k], e = o + bNnz[k];
                for (int q = o; q < e; q++) {
                    int j = idx == null ? q - o : idx[q];
                    double ch = c * x[q];
                    lg[n] = j;
                    dl[n++] = ch;
                    u[j] += ch;
                }
            }
            logged = n;
        }
    }
}
