package dev.warthog.hogwild;

import dev.warthog.data.Dataset;
import dev.warthog.data.Prefetch;
import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.engine.Engine;
import dev.warthog.engine.Partitioning;
import dev.warthog.engine.Worker;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.shared.AccessMode;
import dev.warthog.shared.PaddedCounters;
import dev.warthog.shared.SharedVector;
import dev.warthog.shared.StalenessHistogram;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.solver.Solver;
import dev.warthog.trace.Tracker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Hogwild! (Recht, Re, Wright, Niu 2011; seed 002 section IV.A): W workers share one
 * parameter vector without locks; each repeatedly takes a row x_i of its partition (a new
 * random order every epoch), reads w (possibly inconsistently), and writes only the
 * coordinates of the row's support:
 * <pre>  w_j <- w_j - eta l'(x_i.w, y_i) x_ij - min(eta c_j, 1) w_j,   j in supp(x_i),
 *   c_j = l2 / p_j,   p_j = |{i : x_ij != 0}| / n</pre>
 * The penalty part is the original code's per-coordinate shrink scaled by feature frequency:
 * a row holding feature j is drawn with probability p_j, so E[c_j w_j 1{j in supp}] = l2 w_j
 * and the step is an unbiased stochastic gradient step for F(w) = (1/n) sum loss +
 * (l2/2)||w||^2 (for dense data p_j = 1 and c_j = l2) as long as eta c_j <= 1; where a rare
 * feature makes eta c_j larger, the cap shrinks w_j to zero instead of past it (biased
 * towards zero there, never unstable). The step size is eta_0 decay^(e-1)
 * in epoch e (constant when decay = 1).
 *
 * <p>Shared state: the vector w (in the user's {@link AccessMode}) and one padded update
 * counter per worker. Staleness: before reading w a worker sums the other workers'
 * counters, after writing it sums them again; the difference is the number of other updates
 * that landed between its read and its write (tau). Every {@code stalenessEvery}-th update is
 * measured (default 16; 1 = all): a measurement reads every other worker's counter line,
 * which those workers keep writing, so measuring all updates costs coherence misses.
 *
 * <p>With one thread the run is the serial SGD with the same update, step for step:
 * worker 0's stream is the serial stream of the seed ({@link dev.warthog.engine.Seeds}).
 */
public final class Hogwild implements Solver {
    private final int threads;
    private final AccessMode access;
    private final Partitioning partitioning;
    private final int epochs;
    private final double step;
    private final double decay;
    private final long seed;
    private final int stalenessEvery;

    private Hogwild(Builder b) {
        this.threads = b.threads;
        this.access = b.access;
        this.partitioning = b.partitioning;
        this.epochs = b.epochs;
        this.step = b.step;
        this.decay = b.decay;
        this.seed = b.seed;
        this.stalenessEvery = b.stalenessEvery;
    }

    public static Builder builder() { return new Builder(); }

    @Override public String name() { return "hogwild"; }

    /**
     * Default eta_0: 1/L_max for smooth losses (L_max = smoothness * max ||x_i||^2 + l2, the
     * largest step that keeps every single-sample step stable), 0.1/max ||x_i||^2 for the hinge loss.
     */
    public static double defaultStep(Problem p) {
        double r2 = Math.max(p.maxRowNormSq(), 1e-12);
        return p.loss() == Loss.HINGE ? 0.1 / r2 : 1.0 / p.sampleSmoothness();
    }

    /** The per-coordinate shrink c_j = l2 n / count_j (null when l2 = 0). */
    public static double[] shrinkCoefficients(Problem p) {
        if (p.l2() == 0) return null;
        Dataset d = p.data();
        double[] c = new double[d.cols()];
        if (!d.isSparse()) {
            java.util.Arrays.fill(c, p.l2());
            return c;
        }
        long[] count = new long[d.cols()];
        int[] idx = d.indices();
        for (int k = 0, e = d.rowPtr()[d.rows()]; k < e; k++) count[idx[k]]++;
        for (int j = 0; j < c.length; j++) c[j] = count[j] == 0 ? 0 : p.l2() * d.rows() / count[j];
        return c;
    }

    @Override public Result solve(Problem p, Tracker tracker) {
        if (p.l1() != 0) throw new IllegalArgumentException("hogwild takes an l2 penalty only (use a proximal method for l1)");
        double eta0 = Double.isNaN(step) ? defaultStep(p) : step;
        double[] c = shrinkCoefficients(p);
        SharedVector w = SharedVector.create(access, p.dim());
        PaddedCounters updates = new PaddedCounters(threads);
        HogwildWorker[] workers = new HogwildWorker[threads];
        tracker.start();
        tracker.record(0, w.array());
        Engine.Config cfg = new Engine.Config(threads, partitioning, seed, epochs);
        Engine.Stats stats = Engine.run(cfg, p.data().all(), (id, part, rnd) ->
                workers[id] = new HogwildWorker(id, part, rnd, p.loss(), w, c, eta0, decay, updates, stalenessEvery),
                round -> tracker.record(round, w.array()), tracker);
        tracker.finish();
        StalenessHistogram tau = new StalenessHistogram();
        for (HogwildWorker hw : workers) if (hw != null) tau.merge(hw.staleness);
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("updates", stats.totalSteps());
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("mean", tau.mean());
        st.put("max", tau.max());
        st.put("measured", tau.count());
        st.put("histogram", tau.buckets());
        extras.put("staleness", st);
        extras.put("access", access.cliName());
        extras.put("partition", partitioning.cliName());
        extras.put("step", eta0);
        double[] compute = new double[threads], waits = new double[threads];
        for (int i = 0; i < threads; i++) { compute[i] = stats.computeNanos()[i] * 1e-9; waits[i] = stats.waitNanos()[i] * 1e-9; }
        extras.put("workerComputeSeconds", compute);
        extras.put("workerBarrierSeconds", waits);
        return new Result(name(), p, w.array().clone(), tracker.trace(), tracker.trainSeconds(), stats.rounds(),
                stats.totalSteps(), threads, extras);
    }

    /** One worker's state: its rows, its stream, its order and its staleness record. Thread-confined. */
    static final class HogwildWorker implements Worker {
        private final int id;
        private final RowSubset part;
        private final SplittableRandom rnd;
        private final Loss loss;
        private final SharedVector w;
        private final double[] c;
        private final double eta0, decay;
        private final PaddedCounters updates;
        private final int measureMask;
        private final int[] order;
        // the epoch's rows resolved in sample order (RowSubset.resolve): no dependent misses per step
        private final int[] offsets;
        private final int[] nnz;
        private final double[] labels;
        private final Row row = new Row();
        final StalenessHistogram staleness = new StalenessHistogram();
        private double eta;
        private long count;
        private double touched;   // Prefetch's loads end here, so they are not dropped

        HogwildWorker(int id, RowSubset part, SplittableRandom rnd, Loss loss, SharedVector w, double[] c,
                      double eta0, double decay, PaddedCounters updates, int stalenessEvery) {
            this.id = id;
            this.part = part;
            this.rnd = rnd;
            this.loss = loss;
            this.w = w;
            this.c = c;
            this.eta0 = eta0;
            this.decay = decay;
            this.updates = updates;
            this.measureMask = Integer.highestOneBit(Math.max(1, stalenessEvery)) - 1;
            this.order = new int[part.size()];
            this.offsets = new int[part.size()];
            this.nnz = new int[part.size()];
            this.labels = new double[part.size()];
            row.values = part.data().values();
            row.indices = part.data().indices();
        }

        @Override public void beginRound(int epoch) {
            eta = eta0 * Math.pow(decay, epoch - 1);
            Sgd.epochOrder(order.length, rnd, order);
            part.resolve(order, order.length, offsets, nnz, labels);
        }

        @Override public int stepsPerRound() { return order.length; }

        @Override public void step(int k) {
            touched += Prefetch.block(row.values, row.indices, offsets, nnz, k);
            row.offset = offsets[k];
            row.nnz = nnz[k];
            row.label = labels[k];
            boolean measure = (count++ & measureMask) == 0;
            long before = measure ? updates.sumOthersOpaque(id) : 0;
            w.lockRow(row);
            try {
                double dl = loss.derivative(w.dotRow(row), row.label);
                if (dl != 0 || c != null) w.sgdUpdateRow(row, eta, dl, c);
            } finally {
                w.unlockRow(row);
            }
            updates.incrementOwnOpaque(id);
            if (measure) staleness.record(updates.sumOthersOpaque(id) - before);
        }
    }

    public static final class Builder {
        private int threads = 1;
        private AccessMode access = AccessMode.PLAIN;
        private Partitioning partitioning = Partitioning.CONTIGUOUS;
        private int epochs = 10;
        private double step = Double.NaN;
        private double decay = 0.9;
        private long seed = 1;
        private int stalenessEvery = 16;

        public Builder threads(int v) { if (v < 1) throw new IllegalArgumentException("threads must be >= 1"); threads = v; return this; }
        public Builder access(AccessMode v) { access = v; return this; }
        public Builder partitioning(Partitioning v) { partitioning = v; return this; }
        public Builder epochs(int v) { if (v < 1) throw new IllegalArgumentException("epochs must be >= 1"); epochs = v; return this; }
        /** eta_0; NaN for {@link #defaultStep}. */
        public Builder step(double v) { step = v; return this; }
        /** Per-epoch factor: eta_e = eta_0 decay^(e-1) (default 0.9, as Sgd's; 1 = constant step). */
        public Builder decay(double v) { if (!(v > 0 && v <= 1)) throw new IllegalArgumentException("decay must be in (0, 1]"); decay = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        /** Measure the staleness of every k-th update (rounded down to a power of two; 1 = every update; default 16). */
        public Builder stalenessEvery(int k) { if (k < 1) throw new IllegalArgumentException("stalenessEvery must be >= 1"); stalenessEvery = k; return this; }
        public Hogwild build() { return new Hogwild(this); }
    }
}
