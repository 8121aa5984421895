package dev.warthog.sync;

import dev.warthog.engine.Stragglers;
import dev.warthog.engine.Team;
import dev.warthog.objective.Blocks;
import dev.warthog.objective.Problem;

import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The full gradient of seed 000 section 2.3 computed by a team of T threads in shared
 * memory: the data's rows are cut into B fixed blocks ({@link Blocks}; B depends on the data,
 * never on T), block k belongs to worker floor(k T / B) (contiguous ranges of blocks), and
 * one synchronous iteration is
 * <pre>
 *   broadcast w         the caller's w, published to the workers by the start barrier
 *   region 1            worker i: for its blocks k, part_k = sum_{rows of k} loss'(y, x.w) x, s_k = sum loss
 *   aggregation         part_0 = sum_k part_k by the fixed pairwise tree ({@link Aggregation}); with
 *                       SLICED and TREE each worker first adds its own blocks' subtrees (region 1),
 *                       and for small d the last worker to finish adds the cross-worker nodes
 *                       there too, so an iteration is one region
 *   server              g = part_0 / n + l2 w,  F = (sum_k s_k) / n + penalty
 * </pre>
 * Every block is accumulated in row order and the partials are added by one fixed tree
 * whoever does it, so {@link #gradient} gives the bits of {@link Problem#gradient(double[], double[], int)}
 * with the same B, for any T and any aggregation.
 *
 * <p>Each worker allocates its own blocks' partial buffers on its own thread (its TLAB: no
 * two workers' buffers share a cache line, and on a NUMA machine first touch places them
 * near their writer). The block loss sums are padded one cache line apart.
 *
 * <p>Stragglers: after its compute phase a worker pays its {@link Stragglers.Pacer}
 * (slowdown, delay, stall), which the whole iteration then waits for at the barrier.
 * Failure: a worker that throws ends the iteration at the barrier and {@link #gradient}
 * throws {@link dev.warthog.engine.WorkerFailedException}; the other workers stop at their
 * next block ({@link Team#stopRequested()}). Use try-with-resources: {@link #close()} joins
 * the threads.
 */
public final class ParallelGradient implements AutoCloseable {
    private static final int PAD = 8;   // doubles per cache line: the loss sums one line apart

    private final Problem problem;
    private final Team team;
    private final Aggregation aggregation;
    private final int blocks;
    private final int dim;
    private final double[][] parts;
    private final double[] sums;        // sums[k * PAD]: block k's loss sum
    private final double[] sumScratch;
    private final Blocks.Nodes across;  // the tree's nodes across the workers' block ranges
    /**
     * Whether the tree's nodes across the workers are added by the last worker to finish its
     * blocks, inside the compute region, instead of in an aggregation region: when they are few
     * (nodes across x d <= {@link #COMBINE_IN_REGION_MAX}), a region's two barrier crossings cost more
     * than the additions. SLICED and TREE only; the bits are the same.
     */
    private final boolean combineInRegion;
    static final int COMBINE_IN_REGION_MAX = 8192;
    private final java.util.concurrent.atomic.AtomicInteger arrivals = new java.util.concurrent.atomic.AtomicInteger();
    private final Stragglers.Pacer[] pacers;
    private final Team.Task compute, readOnly;
    private long computeNanos, aggregateNanos, calls;
    // written by the caller before the region's start barrier, read by the workers after it
    private double[] current;
    private boolean withLoss = true;
    private IntConsumer blockHook;      // tests: called before each block, may throw

    /**
     * A team of {@code threads} (the caller is worker 0) over {@code problem}'s rows in
     * {@code blocks} blocks (null: {@link Problem#defaultBlocks()}).
     *
     * @param stragglers null or {@link Stragglers#NONE} for none; must name workers < threads
     * @param seed       the stream of the stragglers' random delays
     */
    public ParallelGradient(Problem problem, int threads, Aggregation aggregation, Team.Wait barrier,
                            Integer blocks, Stragglers stragglers, long seed) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(barrier, "barrier");
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        Stragglers s = stragglers == null ? Stragglers.NONE : stragglers;
        s.checkWorkers(threads);
        int b = blocks == null ? problem.defaultBlocks() : blocks;
        problem.checkBlocks(b);
        this.blocks = b;
        this.dim = problem.dim();
        this.parts = new double[b][];
        this.sums = new double[b * PAD];
        this.sumScratch = new double[b];
        this.pacers = new Stragglers.Pacer[threads];
        this.team = Team.start(threads, barrier);
        int[] bounds = new int[threads + 1];    // bounds[i] = first block of worker i, bounds[T] = B
        for (int i = 0; i <= threads; i++) bounds[i] = firstBlock(i);
        this.across = Blocks.Nodes.across(b, bounds);
        this.combineInRegion = aggregation.precombines() && threads > 1
                && (long) across.size() * dim <= COMBINE_IN_REGION_MAX;
        try {
            // each worker allocates (and first touches) its own blocks' buffers, and starts its pacer
            team.run(id -> {
                for (int k = firstBlock(id), e = firstBlock(id + 1); k < e; k++) parts[k] = new double[dim];
                pacers[id] = s.pacer(id, seed);
                pacers[id].begin();
            });
        } catch (RuntimeException | Error e) {
            team.close();
            throw e;
        }
        this.compute = this::computeBlocks;
        this.readOnly = this::readBlocks;
    }

    /** Defaults: the sliced aggregation, spin barriers, the data's block count, no stragglers. */
    public static ParallelGradient of(Problem problem, int threads) {
        return new ParallelGradient(problem, threads, Aggregation.SLICED, Team.Wait.SPIN, null, null, 0);
    }

    /** First block of worker i: the smallest k with floor(k T / B) >= i, i.e. ceil(i B / T). */
    int firstBlock(int worker) {
        int t = team.size();
        return (int) (((long) worker * blocks + t - 1) / t);
    }

    private void computeBlocks(int id) {
        long t0 = System.nanoTime();
        double[] w = current;
        IntConsumer hook = blockHook;
        int first = firstBlock(id), end = firstBlock(id + 1);
        for (int k = first; k < end && !team.stopRequested(); k++) {
            if (hook != null) hook.accept(k);
            sums[k * PAD] = problem.blockGradient(w, k, blocks, parts[k], withLoss);
        }
        // the tree's nodes within this worker's blocks, while its partials are in its cache
        if (aggregation.precombines() && !team.stopRequested()) {
            Blocks.treeReduceInside(parts, blocks, first, end, 0, dim);
            // small: the last worker to get here adds the nodes across the workers (the
            // increment orders every worker's partial writes before the last one's reads)
            if (combineInRegion && arrivals.incrementAndGet() == team.size())
                across.reduce(parts, 0, dim);
        }
        pacers[id].afterWork(System.nanoTime() - t0, team::stopRequested);
    }

    /**
     * One synchronous full-gradient evaluation: {@code g} (overwritten) = grad f(w); returns
     * F(w). The same contract and the same bits as {@link Problem#gradient(double[], double[], int)}
     * with {@link #blocks()} blocks. Called by the team's owner only, never concurrently.
     */
    public double gradient(double[] w, double[] g) {
        return gradient(w, g, true);
    }

    /**
     * {@link #gradient(double[], double[])}; {@code withLoss} false: the same g, no loss terms,
     * NaN returned (as {@link Problem#gradient(double[], double[], int, boolean)}).
     */
    public double gradient(double[] w, double[] g, boolean withLoss) {
        this.withLoss = withLoss;               // published by the region's start barrier, like w
        current = w;
        arrivals.setPlain(0);                  // published by the region's start barrier
        long t0 = System.nanoTime();
        team.run(compute);
        long t1 = System.nanoTime();
        double[] sum = combineInRegion ? parts[0] : aggregation.reduceAcross(team, parts, blocks, dim, across);
        for (int k = 0; k < blocks; k++) sumScratch[k] = sums[k * PAD];
        double f = problem.finishGradient(w, sum, Blocks.treeSum(sumScratch, blocks), g);
        long t2 = System.nanoTime();
        computeNanos += t1 - t0;
        aggregateNanos += t2 - t1;
        calls++;
        current = null;
        return withLoss ? f : Double.NaN;
    }

    /**
     * The memory-read ceiling of {@link #gradient}, for benchmarks: the same team reads the
     * same blocks in the same streams ({@link Problem#blockMarginSum}) and does nothing else;
     * returns the sum of the margins.
     */
    public double readPass(double[] w) {
        current = w;
        team.run(readOnly);
        current = null;
        double s = 0;
        for (int k = 0; k < blocks; k++) s += sums[k * PAD];
        return s;
    }

    private void readBlocks(int id) {
        double[] w = current;
        for (int k = firstBlock(id), e = firstBlock(id + 1); k < e; k++) sums[k * PAD] = problem.blockMarginSum(w, k, blocks);
    }

    /** Test hook: {@code h} runs on the worker before each block it computes (and may throw). */
    void blockHook(IntConsumer h) { this.blockHook = h; }

    public Problem problem() { return problem; }
    public int threads() { return team.size(); }
    public int blocks() { return blocks; }
    public Aggregation aggregation() { return aggregation; }
    public Team.Wait barrier() { return team.barrier(); }
    /** Gradient evaluations so far. */
    public long calls() { return calls; }
    /** Caller-measured wall seconds of the compute regions (region 1, barriers included). */
    public double computeSeconds() { return computeNanos * 1e-9; }
    /** Caller-measured wall seconds of the aggregations and the server's finishing step. */
    public double aggregateSeconds() { return aggregateNanos * 1e-9; }
    /** Per worker: seconds in tasks (compute and aggregation slices). */
    public double[] workerComputeSeconds() {
        double[] a = new double[team.size()];
        for (int i = 0; i < a.length; i++) a[i] = team.computeNanos(i) * 1e-9;
        return a;
    }
    /** Per worker: seconds waiting at the barriers. */
    public double[] workerBarrierSeconds() {
        double[] a = new double[team.size()];
        for (int i = 0; i < a.length; i++) a[i] = team.waitNanos(i) * 1e-9;
        return a;
    }
    /** Mean over the workers of {@link #workerBarrierSeconds()}. */
    public double barrierSeconds() {
        double s = 0;
        for (double x : workerBarrierSeconds()) s += x;
        return s / team.size();
    }
    /** Per worker: seconds its pacer made it wait (stragglers). */
    public double[] workerPacedSeconds() {
        double[] a = new double[pacers.length];
        for (int i = 0; i < a.length; i++) a[i] = pacers[i] == null ? 0 : pacers[i].waitedNanos() * 1e-9;
        return a;
    }

    /** Stops and joins the team's threads. Idempotent. */
    @Override public void close() { team.close(); }

    @Override public String toString() {
        return "ParallelGradient(threads=" + team.size() + ", blocks=" + blocks + ", " + aggregation.cliName()
                + ", " + team.barrier().cliName() + ")";
    }
}
