package dev.warthog.solver;

import dev.warthog.data.Dataset;
import dev.warthog.data.Prefetch;
import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.trace.Tracker;

import java.util.SplittableRandom;

/**
 * Serial stochastic gradient descent over epochs of random reshuffling: the baseline that
 * Hogwild! with one thread must reproduce step for step.
 *
 * <p><b>Order.</b> One {@link SplittableRandom} seeded with {@code seed} per run; before each
 * epoch {@link #epochOrder} draws a fresh permutation from it. Same seed, same data, same
 * options: bit-identical weights.
 *
 * <p><b>The update</b> (batch 1; t counts updates from 0, e the 0-based epoch), for the row
 * i_t drawn next with margin m = x_i.w_t:
 * <pre>
 *   d       = loss'(m, y_i)
 *   w_{t+1} = (1 - eta_t l2) w_t - eta_t d x_i
 * </pre>
 * the exact gradient step on f_i(w) = loss(y_i, x_i.w) + (l2/2)||w||^2, whose expectation
 * over a uniform i is the gradient of f(w) = (1/n) sum_i loss + (l2/2)||w||^2 (seed 000
 * eq. (1.1)/(1.3) with R = (l2/2)||.||^2). Under random reshuffling each step's row is
 * marginally uniform. It is stored as w = s v (Bottou's scale trick, as in sgd / sklearn):
 * the shrink is {@code s *= 1 - eta l2} (O(1)), the loss step {@code v -= (eta d / s) x_i}
 * (O(nnz(x_i))), and when s < 1e-9 the scale is folded into v (v *= s, s = 1) to avoid
 * underflow. Mathematically identical to the naive O(d) update, equal to it up to rounding.
 * See {@link State#step}.
 *
 * <p><b>Mini-batches</b> ({@code batch} = B > 1): consecutive chunks of B rows of the epoch's
 * permutation (the last one may be shorter, size b); all derivatives are taken at the same
 * w_t, then w_{t+1} = (1 - eta_t l2) w_t - (eta_t / b) sum_k d_k x_k. See {@link State#stepBatch}.
 *
 * <p><b>L1</b> (l1 > 0): the cumulative penalty of Tsuruoka, Tsujii and Ananiadou (ACL 2009,
 * Fig. 2 "applyPenalty"): u accumulates eta_t l1 once per update, q_j records the L1 penalty
 * actually applied to w_j, and after the gradient step every coordinate j with a non-zero
 * value in the rows just used is pulled towards 0 by up to u - |q_j|, clipped at 0. Every
 * coordinate is also brought up to date at the end of each epoch (so recorded and returned
 * weights carry all the penalty due). This is a lazy, clipped version of the proximal step
 * prox_{eta l1 ||.||_1}: it targets F = f + l1||w||_1, but unlike the smooth part it is not an
 * unbiased step for any objective (clipping and the deferred application bias it); expect
 * sparse weights and F within the SGD noise floor of F*.
 *
 * <p><b>Step schedules</b> (eta0 = {@code step}, default 1/L_max with L_max =
 * {@link Problem#sampleSmoothness()}): {@code constant} eta0; {@code optimal}
 * eta0 / (1 + eta0 l2 t) (Bottou / sklearn "optimal"-like; constant when l2 = 0);
 * {@code inverse-scaling} eta0 / sqrt(1 + t); {@code epoch-decay} eta0 decay^e
 * (the Hogwild! paper's per-epoch step reduction; the default, with decay 0.9). Every
 * schedule must keep eta l2 < 1, so eta0 l2 >= 1 is rejected. Defaults: 20 epochs, batch 1,
 * seed 1. The hinge loss (no L_max) needs an explicit step; its derivative is a subgradient.
 */
public final class Sgd implements Solver {
    /** Step-size schedules; see the class comment for the formulas. */
    public enum Schedule {
        CONSTANT("constant"), OPTIMAL("optimal"), INVERSE_SCALING("inverse-scaling"), EPOCH_DECAY("epoch-decay");

        private final String cliName;
        Schedule(String cliName) { this.cliName = cliName; }
        public String cliName() { return cliName; }

        /** eta for update t (0-based) in epoch e (0-based). */
        public double eta(double eta0, double l2, double decay, long t, int e) {
            return switch (this) {
                case CONSTANT -> eta0;
                case OPTIMAL -> eta0 / (1 + eta0 * l2 * t);
                case INVERSE_SCALING -> eta0 / Math.sqrt(1.0 + t);
                case EPOCH_DECAY -> eta0 * Math.pow(decay, e);
            };
        }

        public static Schedule parse(String name) {
            for (Schedule s : values()) if (s.cliName.equals(name)) return s;
            throw new IllegalArgumentException("unknown step schedule '" + name
                    + "': expected constant, optimal, inverse-scaling or epoch-decay");
        }
    }

    private final int epochs;
    private final double step;
    private final Schedule schedule;
    private final double decay;
    private final int batch;
    private final long seed;

    private Sgd(Builder b) {
        this.epochs = b.epochs;
        this.step = b.step;
        this.schedule = b.schedule;
        this.decay = b.decay;
        this.batch = b.batch;
        this.seed = b.seed;
    }

    public static Builder builder() { return new Builder(); }

    @Override public String name() { return "sgd"; }
    public int epochs() { return epochs; }
    /** eta0, or NaN for the default 1/L_max. */
    public double step() { return step; }
    public Schedule schedule() { return schedule; }
    public double decay() { return decay; }
    public int batch() { return batch; }
    public long seed() { return seed; }

    /**
     * The initial step eta0 this solver uses on {@code p}: the given step, or 1/L_max.
     *
     * @throws IllegalArgumentException for the hinge loss without a given step (it has no L_max)
     */
    public double initialStep(Problem p) {
        return Steps.givenOr(step, p, "sgd", () -> 1.0 / p.sampleSmoothness());
    }

    /**
     * The row order of one epoch: out[0..n) = 0..n-1, then a Fisher-Yates shuffle
     * {@code for k = n-1 down to 1: swap(out[k], out[rnd.nextInt(k + 1)])}. Consumes exactly
     * n-1 draws of {@code rnd}; the result does not depend on what {@code out} held.
     */
    public static void epochOrder(int n, SplittableRandom rnd, int[] out) {
        for (int k = 0; k < n; k++) out[k] = k;
        for (int k = n - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = out[k]; out[k] = out[j]; out[j] = t;
        }
    }

    @Override
    public Result solve(Problem problem, Tracker tracker) {
        final double eta0 = Steps.shrinkable(initialStep(problem), problem, "sgd");
        final Dataset data = problem.data();
        final int n = data.rows();
        final double l2 = problem.l2();
        State st = new State(problem);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] order = new int[n];
        // the epoch's rows resolved in sample order, as Hogwild! does: no dependent miss chain
        // (row id, row pointer, row) in front of every step, and the next rows touched ahead
        final RowSubset all = data.all();
        final int[] offsets = new int[n], nnz = new int[n];
        final double[] labels = new double[n];
        final double[] values = data.values();
        final int[] indices = data.indices();
        Row[] rows = new Row[batch];
        for (int k = 0; k < batch; k++) { rows[k] = new Row(); rows[k].values = values; rows[k].indices = indices; }
        double[] w = new double[problem.dim()];
        double touched = 0;   // Prefetch's loads end here, so they are not dropped

        tracker.start();
        boolean stop = tracker.record(0, w);
        long t = 0;
        int e = 0;
        while (!stop && e < epochs) {
            epochOrder(n, rnd, order);
            all.resolve(order, n, offsets, nnz, labels);
            if (batch == 1) {
                Row r = rows[0];
                for (int k = 0; k < n; k++) {
                    touched += Prefetch.block(values, indices, offsets, nnz, k);
                    st.step(r.point(order[k], offsets[k], nnz[k], labels[k]), schedule.eta(eta0, l2, decay, t, e));
                    t++;
                }
            } else {
                for (int k = 0; k < n; k += batch) {
                    int b = Math.min(batch, n - k);
                    for (int q = 0; q < b; q++) {
                        int kq = k + q;
                        touched += Prefetch.block(values, indices, offsets, nnz, kq);
                        rows[q].point(order[kq], offsets[kq], nnz[kq], labels[kq]);
                    }
                    st.stepBatch(rows, b, schedule.eta(eta0, l2, decay, t, e));
                    t++;
                }
            }
            st.endEpoch();
            e++;
            st.weights(w);
            stop = tracker.record(e, w);
            if (!Double.isFinite(st.scale())) break;
        }
        tracker.finish();
        st.weights(w);
        sink = touched;
        return new Result("sgd", problem, w, tracker.trace(), tracker.trainSeconds(), e, (long) e * n, 1);
    }

    /** Where {@link Prefetch}'s loads end up, so that the compiler keeps them. */
    @SuppressWarnings("unused") private static volatile double sink;

    @Override public String toString() {
        return "sgd(step=" + (Double.isNaN(step) ? "1/Lmax" : step) + ", schedule=" + schedule.cliName()
                + (schedule == Schedule.EPOCH_DECAY ? ", decay=" + decay : "") + ", batch=" + batch
                + ", epochs=" + epochs + ", seed=" + seed + ")";
    }

    /**
     * The mutable iterate of one SGD run, w = s v, with the per-sample update as a method so
     * that other solvers (Hogwild! with one thread) can run exactly the same arithmetic.
     * Thread-confined.
     */
    public static final class State {
        /** When the scale falls below this, it is folded into v. */
        public static final double MIN_SCALE = 1e-9;
        private final Loss loss;
        private final double l2;
        private final double l1;
        private final double[] v;
        private double s = 1;
        private final double[] q;   // L1 penalty applied so far per coordinate (Tsuruoka's q_j); null if l1 = 0
        private double u;           // L1 penalty each weight could have received (Tsuruoka's u)
        private double[] dBuf = new double[1];
        private long rescales;

        /** Starts at w = 0. */
        public State(Problem p) {
            this.loss = p.loss();
            this.l2 = p.l2();
            this.l1 = p.l1();
            this.v = new double[p.dim()];
            this.q = l1 > 0 ? new double[p.dim()] : null;
        }

        /**
         * One SGD update on row r with step eta: d = loss'(s (x.v), y); s *= 1 - eta l2
         * (then v *= s, s = 1 if s < {@link #MIN_SCALE}); v -= (eta d / s) x; with l1 > 0,
         * u += eta l1 and the cumulative penalty on the non-zeros of x. Returns d.
         */
        public double step(Row r, double eta) {
            double m = s * Kernels.dot(r, v);
            double d = loss.derivative(m, r.label);
            shrink(eta);
            if (d != 0) Kernels.axpy(-eta * d / s, r, v);
            if (q != null) {
                u += eta * l1;
                penalize(r);
            }
            return d;
        }

        /**
         * One mini-batch update on rows[0..b): all derivatives at the current w, then
         * s *= 1 - eta l2 and v -= (eta d_k / (b s)) x_k for each k; with l1 > 0, u += eta l1
         * and the cumulative penalty on the non-zeros of every row. For b = 1 this is
         * {@link #step}.
         */
        public void stepBatch(Row[] rows, int b, double eta) {
            if (dBuf.length < b) dBuf = new double[b];
            for (int k = 0; k < b; k++) dBuf[k] = loss.derivative(s * Kernels.dot(rows[k], v), rows[k].label);
            shrink(eta);
            for (int k = 0; k < b; k++) if (dBuf[k] != 0) Kernels.axpy(-eta * dBuf[k] / (b * s), rows[k], v);
            if (q != null) {
                u += eta * l1;
                for (int k = 0; k < b; k++) penalize(rows[k]);
            }
        }

        private void shrink(double eta) {
            if (l2 == 0) return;
            s *= 1 - eta * l2;
            if (s < MIN_SCALE) {
                Kernels.get().scale(s, v, 0, v.length);
                s = 1;
                rescales++;
            }
        }

        /** Tsuruoka et al. (2009) applyPenalty on the non-zero coordinates of r. */
        private void penalize(Row r) {
            for (int k = 0; k < r.nnz; k++) if (r.value(k) != 0) penalize(r.column(k));
        }

        private void penalize(int j) {
            double z = s * v[j];
            double wj = z;
            if (wj > 0) wj = Math.max(0, wj - (u + q[j]));
            else if (wj < 0) wj = Math.min(0, wj + (u - q[j]));
            else return;
            q[j] += wj - z;
            v[j] = wj / s;
        }

        /** Brings every coordinate's L1 penalty up to date (O(d); a no-op when l1 = 0). */
        public void endEpoch() {
            if (q != null) for (int j = 0; j < v.length; j++) penalize(j);
        }

        /** Writes w = s v into {@code out}. */
        public void weights(double[] out) {
            for (int j = 0; j < v.length; j++) out[j] = s * v[j];
        }

        /** The current scale s. */
        public double scale() { return s; }
        /** How often the scale was folded into v. */
        public long rescales() { return rescales; }
    }

    /** Configures an {@link Sgd}. */
    public static final class Builder {
        private int epochs = 20;
        private double step = Double.NaN;
        private Schedule schedule = Schedule.EPOCH_DECAY;
        private double decay = 0.9;
        private int batch = 1;
        private long seed = 1;

        private Builder() {}

        /** Epochs (passes over the data), default 20. */
        public Builder epochs(int e) {
            if (e < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + e);
            this.epochs = e; return this;
        }
        /** eta0; NaN restores the default 1/L_max. */
        public Builder step(double eta0) {
            if (!Double.isNaN(eta0) && !(eta0 > 0 && Double.isFinite(eta0)))
                throw new IllegalArgumentException("step must be finite and > 0, got " + eta0);
            this.step = eta0; return this;
        }
        /** Step schedule, default {@code epoch-decay} (with decay 0.9). */
        public Builder schedule(Schedule s) { this.schedule = java.util.Objects.requireNonNull(s); return this; }
        /** Per-epoch factor of {@code epoch-decay}, in (0, 1]; default 0.9. */
        public Builder decay(double f) {
            if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("decay must be in (0, 1], got " + f);
            this.decay = f; return this;
        }
        /** Mini-batch size, default 1. */
        public Builder batch(int b) {
            if (b < 1) throw new IllegalArgumentException("batch must be >= 1, got " + b);
            this.batch = b; return this;
        }
        public Builder seed(long s) { this.seed = s; return this; }
        public Sgd build() { return new Sgd(this); }
    }
}
