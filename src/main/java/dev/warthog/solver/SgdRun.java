package dev.warthog.solver;

import dev.warthog.engine.Stragglers;
import dev.warthog.objective.Problem;

import java.util.Objects;

/**
 * The run settings shared by the mini-batch SGD solvers of the synchronous and
 * parameter-server families ({@code minibatch-sgd}, {@code async-sgd}): the epoch budget,
 * eta0 (NaN: 1/L_max), the step schedule ({@link Sgd.Schedule}) and its decay, the seed, and
 * the straggler settings.
 */
public record SgdRun(int epochs, double step, Sgd.Schedule schedule, double decay, long seed, Stragglers stragglers) {

    /**
     * eta0 on {@code p} for the solver {@code name}: the given step, or 1/L_max. The hinge loss
     * has no smoothness constant, so it needs a step; and eta0 l2 must stay below 1 so that
     * the L2 shrink 1 - eta l2 is positive.
     */
    public double eta0(Problem p, String name) {
        return Steps.shrinkable(Steps.givenOr(step, p, name, () -> 1.0 / p.sampleSmoothness()), p, name);
    }

    /** {@code step=..., schedule=...[, decay=...], epochs=...}, for the solvers' toString. */
    public String describe() {
        return "step=" + (Double.isNaN(step) ? "1/Lmax" : step) + ", schedule=" + schedule.cliName()
                + (schedule == Sgd.Schedule.EPOCH_DECAY ? ", decay=" + decay : "") + ", epochs=" + epochs;
    }

    /** The builders' part for these settings (defaults: 20 epochs, 1/L_max, epoch-decay 0.9, seed 1, no stragglers). */
    public abstract static class Builder<B extends Builder<B>> {
        private int epochs = 20;
        private double step = Double.NaN;
        private Sgd.Schedule schedule = Sgd.Schedule.EPOCH_DECAY;
        private double decay = 0.9;
        private long seed = 1;
        private Stragglers stragglers = Stragglers.NONE;

        protected Builder() {}

        @SuppressWarnings("unchecked") private B self() { return (B) this; }

        public B epochs(int v) { if (v < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + v); epochs = v; return self(); }
        /** eta0; NaN restores the default 1/L_max. */
        public B step(double v) {
            if (!Double.isNaN(v) && !(v > 0 && Double.isFinite(v))) throw new IllegalArgumentException("step must be finite and > 0, got " + v);
            step = v; return self();
        }
        public B schedule(Sgd.Schedule v) { schedule = Objects.requireNonNull(v); return self(); }
        public B decay(double v) { if (!(v > 0 && v <= 1)) throw new IllegalArgumentException("decay must be in (0, 1], got " + v); decay = v; return self(); }
        public B seed(long v) { seed = v; return self(); }
        public B stragglers(Stragglers v) { stragglers = Objects.requireNonNull(v); return self(); }

        /**
         * The command-line options these settings cover, where given: iterations (epochs),
         * step, seed, decay (which implies the epoch-decay schedule unless a schedule is
         * given), schedule, stragglers.
         */
        public B runOptions(SolverOptions o) {
            if (o.iterations() != null) epochs(o.iterations());
            if (o.step() != null) step(o.step());
            if (o.seed() != null) seed(o.seed());
            if (o.decay() != null) decay(o.decay());
            if (o.schedule() != null) schedule(Sgd.Schedule.parse(o.schedule()));
            else if (o.decay() != null) schedule(Sgd.Schedule.EPOCH_DECAY);
            if (o.stragglers() != null) stragglers(o.stragglers());
            return self();
        }

        /** The settings so far. */
        public SgdRun run() { return new SgdRun(epochs, step, schedule, decay, seed, stragglers); }
    }
}
