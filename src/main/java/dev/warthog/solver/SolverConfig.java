package dev.warthog.solver;

/**
 * The generic knobs of the command line, shared by every solver that {@link Solvers#byName}
 * builds; a solver ignores what it has no use for. Zero or NaN means "the solver's default".
 *
 * @param epochs     epochs (stochastic solvers) or iterations (batch solvers)
 * @param step       step size alpha / eta0
 * @param momentum   beta of v <- beta v + g (seed 000 section 1)
 * @param batch      mini-batch size
 * @param seed       seed of every random choice
 * @param decay      per-epoch step decay factor (step *= decay)
 * @param threads    worker threads
 */
public record SolverConfig(int epochs, double step, double momentum, int batch, long seed, double decay, int threads) {
    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private int epochs;
        private double step = Double.NaN;
        private double momentum = Double.NaN;
        private int batch = 1;
        private long seed = 1;
        private double decay = 1;
        private int threads = 1;

        public Builder epochs(int v) { if (v < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + v); epochs = v; return this; }
        public Builder step(double v) { if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException("step must be > 0, got " + v); step = v; return this; }
        public Builder momentum(double v) { if (!(v >= 0 && v < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + v); momentum = v; return this; }
        public Builder batch(int v) { if (v < 1) throw new IllegalArgumentException("batch must be >= 1, got " + v); batch = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder decay(double v) { if (!(v > 0 && v <= 1)) throw new IllegalArgumentException("decay must be in (0, 1], got " + v); decay = v; return this; }
        public Builder threads(int v) { if (v < 1) throw new IllegalArgumentException("threads must be >= 1, got " + v); threads = v; return this; }
        public SolverConfig build() { return new SolverConfig(epochs, step, momentum, batch, seed, decay, threads); }
    }
}
