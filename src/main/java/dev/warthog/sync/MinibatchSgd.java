package dev.warthog.sync;

import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.engine.Partitioning;
import dev.warthog.engine.Seeds;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.Team;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Blocks;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
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

/**
 * Synchronous data-parallel mini-batch SGD (seed 004 section 2.1.2; seed 002 eq. (5)) in the
 * three implementations of seed 004 Figure 2.3. M logical workers each own a part of the rows
 * (a seeded random partition) and their own random stream ({@link Seeds#forWorker}); the
 * global batch B is split into b = B/M rows per worker. In iteration t (step eta_t) worker n
 * draws b rows m_t^(n) of its part (without replacement within a pass over its part, a new
 * order every pass, as {@link Sgd}) and computes its local loss-gradient sum
 * <pre>  g_t^(n) = sum_{i in m_t^(n)} loss'(x_i.w, y_i) x_i</pre>
 * Writing c = 1 - eta_t l2 (the exact L2 part of the gradient, f_i = loss_i + (l2/2)||w||^2):
 * <ul>
 *   <li><b>gradient aggregation</b> ({@code --form gradient}, the default): every worker keeps
 *       a replica x_t^(n) (all equal at the start); the M sums are combined by the fixed
 *       pairwise tree ({@link Aggregation}: server, sliced or tree, the same bits) into
 *       G_t = sum_n g_t^(n), and every worker applies the same update to its own replica,
 *       x_{t+1}^(n) = c x_t^(n) - (eta_t / B) G_t, so the replicas stay bit-identical;</li>
 *   <li><b>model aggregation</b> ({@code --form model}): every worker steps its replica
 *       locally, x_{t+1/2}^(n) = c x_t^(n) - (eta_t / b) g_t^(n), the M half-step models are
 *       summed by the same tree and x_{t+1} = (1/M) sum_n x_{t+1/2}^(n) becomes every
 *       replica; equal to the gradient form in exact arithmetic, not in floating point;</li>
 *   <li><b>global model replica</b> ({@code --form replica}): one global w held by the
 *       parameter server (the calling thread); the workers read it, compute g_t^(n), the
 *       server sums them by the tree and updates w_{t+1} = c w_t - (eta_t / B) G_t. The same
 *       operations on the same numbers as the gradient form: bit-identical to it.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> Rows, streams, per-worker sums (row order) and the tree depend on M
 * and the seed only; T = {@code threads} OS threads ({@link Team}) merely execute the logical
 * workers (thread p runs workers [p M / T, (p+1) M / T)), so any T gives the same bits.
 *
 * <p><b>Schedule.</b> An epoch is ceil(n / B) iterations; eta_t follows {@link Sgd.Schedule}
 * with t the iteration and e its epoch (default epoch-decay 0.9 from eta0 = 1 / L_max).
 * L1 is rejected (no proximal step here).
 *
 * <p><b>Rounds.</b> One iteration is one {@link Team#run region} (each thread: apply the
 * previous iteration's aggregate to its replicas, then sample and compute) plus the
 * aggregation; the gradient and model forms apply the aggregate lazily at the start of the
 * next region, so no third barrier is needed; the parts arrays are double-buffered so that
 * the previous aggregate (parts[0]) is never overwritten while another thread reads it.
 *
 * <p><b>Stragglers.</b> Each thread's {@link Stragglers.Pacer} is charged its compute time
 * after every region ({@code --slowdown i:f} names thread i); since everyone waits at the
 * barrier, the iteration time follows the slowest thread.
 */
public final class MinibatchSgd implements Solver {
    /** The three implementations of seed 004 section 2.1.2. */
    public enum Form {
        GRADIENT("gradient"), MODEL("model"), REPLICA("replica");

        private final String cliName;

        Form(String n) { this.cliName = n; }

        public String cliName() { return cliName; }

        public static Form parse(String s) {
            for (Form f : values()) if (f.cliName.equals(s)) return f;
            throw new IllegalArgumentException("unknown form '" + s + "': expected gradient, model or replica");
        }
    }

    /** Test hook: called by logical worker k before it computes in iteration t (package-private). */
    @FunctionalInterface
    interface Hook {
        void beforeCompute(int worker, long iteration) throws Exception;
    }

    private final int threads;
    private final Integer workers;
    private final Integer batch;
    private final Form form;
    private final Aggregation aggregation;
    private final Team.Wait barrier;
    private final SgdRun run;
    private final Hook hook;

    private MinibatchSgd(Builder b) {
        this.threads = b.threads;
        this.workers = b.workers;
        this.batch = b.batch;
        this.form = b.form;
        this.aggregation = b.aggregation;
        this.barrier = b.barrier;
        this.run = b.run();
        this.hook = b.hook;
    }

    public static Builder builder() { return new Builder(); }

    /** Builds from command-line options (null fields keep the defaults). */
    public static Solver fromOptions(SolverOptions o) {
        reject(o.momentum() != null, "momentum");
        reject(o.tolerance() != null, "tolerance");
        reject(o.lineSearch() != null && o.lineSearch(), "line search");
        reject(o.blocks() != null, "blocks (its parts are the M workers' sums)");
        Builder b = builder();
        if (o.threads() != null) b.threads(o.threads());
        if (o.workers() != null) b.workers(o.workers());
        if (o.batch() != null) b.batch(o.batch());
        if (o.form() != null) b.form(Form.parse(o.form()));
        if (o.aggregate() != null) b.aggregation(Aggregation.parse(o.aggregate()));
        if (o.barrier() != null) b.barrier(Team.Wait.parse(o.barrier()));
        return b.runOptions(o).build();
    }

    private static void reject(boolean set, String option) {
        if (set) throw new IllegalArgumentException("solver minibatch-sgd has no option " + option);
    }

    @Override public String name() { return "minibatch-sgd"; }
    public int threads() { return threads; }
    /** Logical workers M (default: the thread count). */
    public int workers() { return workers == null ? threads : workers; }
    /** Global batch B (default 32 M). */
    public int batch() { return batch == null ? 32 * workers() : batch; }
    public Form form() { return form; }
    public Aggregation aggregation() { return aggregation; }

    @Override
    public Result solve(Problem p, Tracker tracker) {
        final int m = workers(), bigB = batch(), T = threads;
        if (p.l1() != 0) throw new IllegalArgumentException("minibatch-sgd takes an l2 penalty only (l1 must be 0)");
        if (T > m) throw new IllegalArgumentException("minibatch-sgd: --threads " + T + " must be <= --workers " + m
                + " (threads only execute the logical workers)");
        if (bigB % m != 0) throw new IllegalArgumentException("minibatch-sgd: --batch " + bigB
                + " must be a multiple of --workers " + m + " (each worker draws batch / workers rows)");
        final double eta0 = run.eta0(p, name());
        run.stragglers().checkWorkers(T);
        final double l2 = p.l2();
        final long seed = run.seed();
        final int b = bigB / m, d = p.dim(), n = p.rows();
        final long perEpoch = Math.max(1, (n + (long) bigB - 1) / bigB);
        final RowSubset[] parts = Partitioning.RANDOM.split(p.data().all(), m, seed);
        for (int k = 0; k < m; k++)
            if (parts[k].size() == 0) throw new IllegalArgumentException("minibatch-sgd: " + m + " workers for " + n + " rows leave a worker without rows");
        final LogicalWorker[] lw = new LogicalWorker[m];
        for (int k = 0; k < m; k++) lw[k] = new LogicalWorker(k, parts[k], Seeds.forWorker(seed, k), p.loss(), b);
        final double[][][] buf = {new double[m][d], new double[m][d]};   // double-buffered parts
        final Blocks.Nodes tree = Blocks.Nodes.all(m);
        final double[][] replica = form == Form.REPLICA ? null : new double[m][d];
        final double[] global = form == Form.REPLICA ? new double[d] : null;
        final Stragglers.Pacer[] pacers = new Stragglers.Pacer[T];
        for (int q = 0; q < T; q++) pacers[q] = run.stragglers().pacer(q, seed);
        final double[] w = new double[d];

        long computeNanos = 0, aggregateNanos = 0;
        long t = 0;
        int e = 0;
        Pending pending = new Pending();
        tracker.start();
        boolean stop = tracker.record(0, w);
        try (Team team = Team.start(T, barrier)) {
            for (Stragglers.Pacer pc : pacers) pc.begin();
            while (!stop && e < run.epochs()) {
                for (long it = 0; it < perEpoch; it++, t++) {
                    final double eta = run.schedule().eta(eta0, l2, run.decay(), t, e);
                    final double shrink = 1 - eta * l2;
                    final double[][] cur = buf[(int) (t & 1)];
                    final Pending prev = pending;
                    final long iter = t;
                    long c0 = System.nanoTime();
                    team.run(q -> {
                        long s0 = System.nanoTime();
                        for (int k = q * m / T, end = (q + 1) * m / T; k < end; k++) {
                            if (hook != null) hook.beforeCompute(k, iter);
                            double[] x = form == Form.REPLICA ? global : replica[k];
                            if (prev.active) prev.applyTo(x, form, m);
                            lw[k].localGradient(x, cur[k]);
                            if (form == Form.MODEL) halfStep(x, cur[k], shrink, eta / b);
                        }
                        pacers[q].afterWork(System.nanoTime() - s0, team::stopRequested);
                    });
                    long c1 = System.nanoTime();
                    double[] sum = aggregation.reduce(team, cur, m, d, tree);
                    if (form == Form.REPLICA) {
                        double coef = eta / bigB;   // the server's update of the global replica
                        for (int j = 0; j < d; j++) global[j] = global[j] * shrink - coef * sum[j];
                        pending = Pending.NONE;
                    } else {
                        pending = new Pending(sum, shrink, eta / bigB);
                    }
                    long c2 = System.nanoTime();
                    computeNanos += c1 - c0;
                    aggregateNanos += c2 - c1;
                }
                e++;
                current(w, replica, global, pending, m);
                stop = tracker.record(e, w);
                if (!allFinite(w)) break;
            }
            // bring every replica up to date, then check that they agree bit for bit
            if (pending.active) {
                final Pending last = pending;
                team.run(q -> { for (int k = q * m / T, end = (q + 1) * m / T; k < end; k++) last.applyTo(replica[k], form, m); });
            }
            tracker.finish();
            current(w, replica, global, Pending.NONE, m);
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("iterations", (int) t);
            extras.put("workers", m);
            extras.put("batch", bigB);
            extras.put("form", form.cliName());
            extras.put("aggregate", aggregation.cliName());
            extras.put("barrier", barrier.cliName());
            extras.put("step", eta0);
            extras.put("computeSeconds", computeNanos * 1e-9);
            extras.put("aggregateSeconds", aggregateNanos * 1e-9);
            double[] wc = new double[T], wb = new double[T];
            double meanWait = 0;
            for (int q = 0; q < T; q++) {
                wc[q] = team.computeNanos(q) * 1e-9;
                wb[q] = team.waitNanos(q) * 1e-9;
                meanWait += wb[q] / T;
            }
            extras.put("barrierSeconds", meanWait);
            extras.put("workerComputeSeconds", wc);
            extras.put("workerBarrierSeconds", wb);
            if (replica != null) extras.put("replicasIdentical", identical(replica, w));
            if (run.stragglers().any()) {
                double[] paced = new double[T];
                for (int q = 0; q < T; q++) paced[q] = pacers[q].waitedNanos() * 1e-9;
                extras.put("stragglerSeconds", paced);
            }
            return new Result(name(), p, w, tracker.trace(), tracker.trainSeconds(), e, t * bigB, T, extras);
        }
    }

    /** x_{t+1/2} = shrink x - coef g, into g's array (the model form's local step). */
    private static void halfStep(double[] x, double[] g, double shrink, double coef) {
        for (int j = 0; j < x.length; j++) g[j] = x[j] * shrink - coef * g[j];
    }

    /**
     * The aggregate of the previous iteration not yet applied to the replicas: the gradient
     * sum G with its shrink and coefficient, or (model form) the sum of the half-step models.
     */
    private static final class Pending {
        static final Pending NONE = new Pending();
        final boolean active;
        final double[] sum;
        final double shrink, coef;

        Pending() { active = false; sum = null; shrink = coef = 0; }
        Pending(double[] sum, double shrink, double coef) { active = true; this.sum = sum; this.shrink = shrink; this.coef = coef; }

        void applyTo(double[] x, Form form, int m) {
            if (form == Form.MODEL) { for (int j = 0; j < x.length; j++) x[j] = sum[j] / m; }
            else for (int j = 0; j < x.length; j++) x[j] = x[j] * shrink - coef * sum[j];
        }
    }

    /** The model every replica holds once {@code pending} is applied (the same operations, so the same bits). */
    private void current(double[] out, double[][] replica, double[] global, Pending pending, int m) {
        if (global != null) { System.arraycopy(global, 0, out, 0, out.length); return; }
        System.arraycopy(replica[0], 0, out, 0, out.length);
        if (pending.active) pending.applyTo(out, form, m);
    }

    private static boolean identical(double[][] replica, double[] w) {
        for (double[] r : replica)
            for (int j = 0; j < w.length; j++)
                if (Double.doubleToRawLongBits(r[j]) != Double.doubleToRawLongBits(w[j])) return false;
        return true;
    }

    private static boolean allFinite(double[] w) {
        for (double v : w) if (!Double.isFinite(v)) return false;
        return true;
    }

    /**
     * One logical worker: its rows, its stream and its position in the current pass over
     * them. Touched by one thread per region (whichever runs it); the barriers order the
     * handovers.
     */
    static final class LogicalWorker {
        final int id;
        final RowSubset part;
        final SplittableRandom rnd;
        final Loss loss;
        final int b;
        final int[] order;
        int pos;
        final Row row = new Row();

        LogicalWorker(int id, RowSubset part, SplittableRandom rnd, Loss loss, int b) {
            this.id = id;
            this.part = part;
            this.rnd = rnd;
            this.loss = loss;
            this.b = b;
            this.order = new int[part.size()];
            this.pos = order.length;   // the first draw shuffles
        }

        /** Next row of the pass over the part; a new order when the pass is done. */
        Row next() {
            if (pos == order.length) { Sgd.epochOrder(order.length, rnd, order); pos = 0; }
            return part.row(order[pos++], row);
        }

        /** g = sum over b drawn rows of loss'(x_i.w, y_i) x_i, in draw order. */
        void localGradient(double[] w, double[] g) {
            Arrays.fill(g, 0.0);
            for (int q = 0; q < b; q++) {
                Row r = next();
                double dl = loss.derivative(Kernels.dot(r, w), r.label);
                if (dl != 0) Kernels.axpy(dl, r, g);
            }
        }
    }

    @Override public String toString() {
        return "minibatch-sgd(form=" + form.cliName() + ", workers=" + (workers == null ? "threads" : workers)
                + ", batch=" + (batch == null ? "32*workers" : batch) + ", aggregate=" + aggregation.cliName()
                + ", " + run.describe() + ", threads=" + threads + ", seed=" + run.seed() + ")";
    }

    /** Configures a {@link MinibatchSgd}. */
    public static final class Builder extends SgdRun.Builder<Builder> {
        private int threads = 1;
        private Integer workers;
        private Integer batch;
        private Form form = Form.GRADIENT;
        private Aggregation aggregation = Aggregation.SLICED;
        private Team.Wait barrier = Team.Wait.SPIN;
        private Hook hook;

        private Builder() {}

        /** OS threads T that execute the logical workers (default 1; at most M). */
        public Builder threads(int v) { if (v < 1) throw new IllegalArgumentException("threads must be >= 1, got " + v); threads = v; return this; }
        /** Logical workers M (default: the thread count). */
        public Builder workers(int v) { if (v < 1) throw new IllegalArgumentException("workers must be >= 1, got " + v); workers = v; return this; }
        /** Global batch B, a multiple of M (default 32 M). */
        public Builder batch(int v) { if (v < 1) throw new IllegalArgumentException("batch must be >= 1, got " + v); batch = v; return this; }
        public Builder form(Form v) { form = java.util.Objects.requireNonNull(v); return this; }
        public Builder aggregation(Aggregation v) { aggregation = java.util.Objects.requireNonNull(v); return this; }
        public Builder barrier(Team.Wait v) { barrier = java.util.Objects.requireNonNull(v); return this; }
        Builder hook(Hook h) { hook = h; return this; }
        public MinibatchSgd build() { return new MinibatchSgd(this); }
    }
}
