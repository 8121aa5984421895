package dev.warthog.vr;

import dev.warthog.data.Dataset;
import dev.warthog.data.Prefetch;
import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Solver;
import dev.warthog.trace.Trace;
import dev.warthog.trace.TracePoint;
import dev.warthog.trace.Tracker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The serial incremental aggregated-gradient methods SAG, SAGA and IAG (seed 002, section
 * IV.B) for linear models, with a gradient memory of one scalar per sample and
 * just-in-time (lagged) updates on sparse data, so that a step costs O(nnz(x_i)); the
 * updates and the lagged formulas are in {@link VrState}.
 *
 * <ul>
 *   <li><b>SAGA</b> (Defazio, Bach and Lacoste-Julien, NeurIPS 2014): unbiased direction
 *       loss'_new x_i - alpha_i x_i + gbar, then the prox of eta l1 ||.||_1. Rows are drawn
 *       uniformly at random <i>with replacement</i> (the sampling of the analysis), n draws
 *       per epoch.</li>
 *   <li><b>SAG</b> (Le Roux, Schmidt and Bach, NeurIPS 2012; Schmidt, Le Roux and Bach,
 *       Math. Programming 2017): the memory is updated first and the step is taken along the
 *       new average gbar (the biased direction, seed 002 eq. (6)). Uniform with replacement,
 *       n draws per epoch. With l1 > 0 the step is followed by the same prox as SAGA (a
 *       proximal SAG; not covered by the SAG analysis).</li>
 *   <li><b>IAG</b> (Blatt, Hero and Gauchman, SIAM J. Optim. 2007): the SAG update with the
 *       rows taken cyclically in order 0, 1, ..., n-1 in every epoch (seed 002's recursion
 *       for d_i^k); deterministic, the seed is ignored.</li>
 * </ul>
 * In all three the L2 term's gradient l2 w is taken at the current iterate (only the loss
 * derivatives are stored), as scikit-learn and lightning do.
 *
 * <p><b>Memory initialisation.</b> By default the memory starts at the derivatives at w0 = 0,
 * alpha_i = loss'(0, y_i), gbar = (1/n) sum alpha_i x_i (one O(nnz) pass, counted in the
 * first epoch's time and as n samples); {@code initMemory(false)} starts from alpha = 0,
 * gbar = 0 (scikit-learn's choice, without its "seen samples" correction).
 *
 * <p><b>Default steps</b>, with L_max = {@link Problem#sampleSmoothness()} =
 * smoothness(loss) max_i ||x_i||^2 + l2, the smoothness of every f_i = loss_i + (l2/2)||.||^2,
 * and mu = l2 their strong convexity:
 * <ul>
 *   <li>SAGA: eta = 1/(3 L_max). Defazio et al. (2014) prove for this step the O(n/k) rate
 *       of the averaged iterate without strong convexity (their Theorem 2) and, with strong
 *       convexity, linear convergence at rate 1 - min(1/(4n), mu/(3 L)) (their remark after
 *       Theorem 1, which itself is stated for eta = 1/(2(mu n + L))); the prox of l1 is
 *       included in their analysis.</li>
 *   <li>SAG: eta = 1/(16 L_max), the step of Schmidt et al. (2017), Theorem 1: linear rate
 *       1 - min(mu/(16 L), 1/(8n)) in expectation (smooth problems only; the theorem is stated
 *       for their initialisation of the memory, and we have not checked that its constant
 *       covers ours).</li>
 *   <li>IAG: eta = 1/(n L_max), a <b>heuristic</b>: over one cycle the steps add up to one
 *       gradient step of 1/L_max while the stored gradients are at most n - 1 steps old.
 *       The proven constant step (Gurbuzbalaban, Ozdaglar and Parrilo, SIAM J. Optim. 2017,
 *       quoted in seed 002 section IV.B) is {@link #iagProvenStep}: for delays at most
 *       n - 1 it translates, for our average (not sum) objective and with L bounded by
 *       n L_max for the sum, to eta < 8 mu / (25 n L_max (mu + L_max)), about
 *       0.32 mu/L_max times the default: linear convergence but Q^2 n^2 log(1/eps) steps.
 *       It is proved for the variant whose L2 gradient is stale too; ours takes it fresh.</li>
 * </ul>
 * Every step must keep eta l2 < 1. The hinge loss (not smooth) needs an explicit step and
 * has no guarantee.
 *
 * <p><b>Stopping</b>: after {@code epochs} epochs, when the tracker says stop, when
 * {@code target} is set and F(w) <= target at an epoch end (F read from the trace when the
 * tracker evaluated that epoch, else computed, and then counted as training time), or when
 * the iterate stops being finite.
 *
 * <p>Same seed, same data, same options: bit-identical weights. Immutable; each solve owns
 * its state.
 */
public final class VarianceReduced implements Solver {
    /** The three methods; {@link #cliName()} is the solver name. */
    public enum Method {
        SAGA("saga"), SAG("sag"), IAG("iag");

        private final String cliName;
        Method(String cliName) { this.cliName = cliName; }
        public String cliName() { return cliName; }
        VrState.Update update() { return this == SAGA ? VrState.Update.SAGA : VrState.Update.SAG; }
    }

    private final Method method;
    private final int epochs;
    private final double step;
    private final long seed;
    private final double target;
    private final boolean initMemory;

    private VarianceReduced(Builder b) {
        this.method = b.method;
        this.epochs = b.epochs;
        this.step = b.step;
        this.seed = b.seed;
        this.target = b.target;
        this.initMemory = b.initMemory;
    }

    public static Builder saga() { return new Builder(Method.SAGA); }
    public static Builder sag() { return new Builder(Method.SAG); }
    public static Builder iag() { return new Builder(Method.IAG); }
    public static Builder builder(Method m) { return new Builder(m); }

    @Override public String name() { return method.cliName(); }
    public Method method() { return method; }
    public int epochs() { return epochs; }
    /** The step, or NaN for the method's default. */
    public double step() { return step; }
    public long seed() { return seed; }
    /** Objective at which to stop, or -infinity for none. */
    public double target() { return target; }
    public boolean initMemory() { return initMemory; }

    /** The step this solver uses on {@code p}. */
    public double stepFor(Problem p) {
        return dev.warthog.solver.Steps.givenOr(step, p, method.cliName(), () -> defaultStep(method, p));
    }

    /** The default step of {@code m} on {@code p} (see the class comment). */
    public static double defaultStep(Method m, Problem p) {
        dev.warthog.solver.Steps.requireSmooth(p, m.cliName());
        double lmax = p.sampleSmoothness();
        return switch (m) {
            case SAGA -> 1.0 / (3 * lmax);
            case SAG -> 1.0 / (16 * lmax);
            case IAG -> 1.0 / ((double) p.rows() * lmax);
        };
    }

    /**
     * The IAG step proven to converge linearly by Gurbuzbalaban, Ozdaglar and Parrilo (2017)
     * for delays up to n - 1, written for the average objective:
     * 8 l2 / (25 n L_max (l2 + L_max)) (0 when l2 = 0: no strong convexity, no guarantee).
     */
    public static double iagProvenStep(Problem p) {
        double lmax = p.sampleSmoothness(), mu = p.l2();
        return 8 * mu / (25.0 * p.rows() * lmax * (mu + lmax));
    }

    /** Where {@link Prefetch}'s loads end up, so that the compiler keeps them. */
    @SuppressWarnings("unused") private static volatile double sink;

    /**
     * One epoch of n steps on rows drawn uniformly with replacement. The draws are made
     * {@link Prefetch#BLOCK} at a time, in the same order as one per step (the same stream, so
     * the same rows), resolved, and their rows touched before the block's steps: the rows' misses
     * overlap instead of coming one step at a time. Returns Prefetch's sum.
     */
    private static double randomEpoch(VrState st, Dataset data, SplittableRandom rnd, Row r) {
        final int n = data.rows(), blk = Prefetch.BLOCK;
        final int[] ids = new int[blk], offsets = new int[blk], nnz = new int[blk];
        final double[] labels = new double[blk];
        final RowSubset all = data.all();
        r.values = data.values();
        r.indices = data.indices();
        double touched = 0;
        for (int k = 0; k < n; k += blk) {
            int b = Math.min(blk, n - k);
            for (int q = 0; q < b; q++) ids[q] = rnd.nextInt(n);
            all.resolve(ids, b, offsets, nnz, labels);
            if (r.indices != null) touched += Prefetch.rows(r.values, r.indices, offsets, nnz, 0, b);
            for (int q = 0; q < b; q++) st.step(r.point(ids[q], offsets[q], nnz[q], labels[q]));
        }
        return touched;
    }

    @Override
    public Result solve(Problem problem, Tracker tracker) {
        final double eta = dev.warthog.solver.Steps.shrinkable(stepFor(problem), problem, method.cliName());
        final Dataset data = problem.data();
        final int n = data.rows();
        VrState st = new VrState(problem, method.update(), eta);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[problem.dim()];
        Row r = new Row();
        long samples = 0;
        double touched = 0;   // Prefetch's loads end here, so they are not dropped

        tracker.start();
        boolean stop = tracker.record(0, w) || reached(problem, tracker, 0, w);
        if (!stop && epochs > 0 && initMemory) {
            st.initMemory(data);
            samples += n;
        }
        int e = 0;
        boolean diverged = false;
        while (!stop && e < epochs) {
            if (method == Method.IAG) {
                for (int i = 0; i < n; i++) st.step(data.row(i, r));   // in storage order: the hardware prefetches
            } else {
                touched += randomEpoch(st, data, rnd, r);
            }
            st.sync();
            st.weights(w);
            e++;
            samples += n;
            stop = tracker.record(e, w);
            if (!st.finite()) { diverged = true; break; }
            if (!stop) stop = reached(problem, tracker, e, w);
        }
        tracker.finish();
        sink = touched;
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("step", eta);
        extras.put("rescales", st.rescales());
        if (diverged) extras.put("diverged", true);
        return new Result(method.cliName(), problem, w, tracker.trace(), tracker.trainSeconds(), e, samples, 1, extras);
    }

    /** True when a target is set and F(w) at epoch e is at most it. */
    private boolean reached(Problem p, Tracker tracker, int e, double[] w) {
        if (target == Double.NEGATIVE_INFINITY) return false;
        Trace tr = tracker.trace();
        List<TracePoint> pts = tr.points();
        TracePoint last = pts.isEmpty() ? null : pts.get(pts.size() - 1);
        double f = last != null && last.epoch() == e ? last.objective() : p.value(w);
        return f <= target;
    }

    @Override public String toString() {
        String st = Double.isNaN(step) ? switch (method) {
            case SAGA -> "1/(3 Lmax)";
            case SAG -> "1/(16 Lmax)";
            case IAG -> "1/(n Lmax)";
        } : String.format(Locale.ROOT, "%g", step);
        return method.cliName() + "(step=" + st + ", epochs=" + epochs
                + (method == Method.IAG ? ", cyclic" : ", seed=" + seed)
                + (target == Double.NEGATIVE_INFINITY ? "" : ", target=" + target)
                + (initMemory ? "" : ", zero memory") + ")";
    }

    /** Configures a {@link VarianceReduced}. */
    public static final class Builder {
        private final Method method;
        private int epochs = 50;
        private double step = Double.NaN;
        private long seed = 1;
        private double target = Double.NEGATIVE_INFINITY;
        private boolean initMemory = true;

        private Builder(Method m) { this.method = Objects.requireNonNull(m); }

        /** Epochs (n steps each), default 50. */
        public Builder epochs(int e) {
            if (e < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + e);
            this.epochs = e; return this;
        }
        /** Constant step; NaN restores the method's default. */
        public Builder step(double eta) {
            if (!Double.isNaN(eta) && !(eta > 0 && Double.isFinite(eta)))
                throw new IllegalArgumentException("step must be finite and > 0, got " + eta);
            this.step = eta; return this;
        }
        /** Sampling seed (SAG, SAGA; IAG ignores it), default 1. */
        public Builder seed(long s) { this.seed = s; return this; }
        /** Stop at the first epoch end with F(w) <= target; -infinity (default) for none. */
        public Builder target(double f) {
            if (Double.isNaN(f)) throw new IllegalArgumentException("target must not be NaN");
            this.target = f; return this;
        }
        /** Start the memory at the gradients at w = 0 (true, default) or at zero. */
        public Builder initMemory(boolean b) { this.initMemory = b; return this; }
        public VarianceReduced build() { return new VarianceReduced(this); }
    }
}
