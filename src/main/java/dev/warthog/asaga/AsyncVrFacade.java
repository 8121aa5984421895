package dev.warthog.asaga;

import dev.warthog.engine.Partitioning;
import dev.warthog.shared.AccessMode;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Solver;
import dev.warthog.trace.Tracker;

import java.util.Objects;
import java.util.function.Function;

/**
 * What {@link Asaga}, {@link AsyncIag} and {@link ProxAsaga} share: a solver that runs
 * {@link AsyncVr} with one fixed method over one set of options ({@link Builder}).
 */
public abstract class AsyncVrFacade implements Solver {
    final AsyncVr.Settings settings;

    AsyncVrFacade(AsyncVr.Settings s) { this.settings = s; }

    @Override public Result solve(Problem p, Tracker tracker) { return run(p, tracker).result(); }

    /** The run, with the memory at the end (tests). */
    AsyncVr.Outcome run(Problem p, Tracker tracker) { return AsyncVr.run(settings, p, tracker); }

    @Override public String toString() { return Asaga.describe(settings); }

    /**
     * The options of the three solvers (one set, one parser for the three names), and
     * {@code build} for the builder's method.
     */
    public abstract static class Builder<B extends Builder<B, S>, S extends AsyncVrFacade> {
        private final AsyncVr.Method method;
        private final Function<AsyncVr.Settings, S> make;
        private int threads = 1;
        private AccessMode access = AccessMode.PLAIN;
        private Partitioning partitioning = Partitioning.CONTIGUOUS;
        private int epochs = 50;
        private double step = Double.NaN;
        private long seed = 1;
        private int stalenessEvery = 16;

        Builder(AsyncVr.Method method, Function<AsyncVr.Settings, S> make) {
            this.method = method;
            this.make = make;
        }

        @SuppressWarnings("unchecked") private B self() { return (B) this; }

        public B threads(int v) { if (v < 1) throw new IllegalArgumentException("threads must be >= 1"); threads = v; return self(); }
        public B access(AccessMode v) { access = Objects.requireNonNull(v); return self(); }
        /** How many steps each worker takes per round (its partition's size); how the rows are drawn is the method's. */
        public B partitioning(Partitioning v) { partitioning = Objects.requireNonNull(v); return self(); }
        /** Rounds of n samples, default 50. */
        public B epochs(int v) { if (v < 1) throw new IllegalArgumentException("epochs must be >= 1"); epochs = v; return self(); }
        /** Constant step; NaN for the method's default. */
        public B step(double v) {
            if (!Double.isNaN(v) && !(v > 0 && Double.isFinite(v))) throw new IllegalArgumentException("step must be finite and > 0, got " + v);
            step = v; return self();
        }
        public B seed(long v) { seed = v; return self(); }
        /** Measure the staleness of every k-th update (rounded down to a power of two; default 16). */
        public B stalenessEvery(int k) { if (k < 1) throw new IllegalArgumentException("stalenessEvery must be >= 1"); stalenessEvery = k; return self(); }
        public S build() { return make.apply(settings(method)); }

        /** These options for method {@code m} (one parser for the three names). */
        AsyncVr.Settings settings(AsyncVr.Method m) {
            return new AsyncVr.Settings(m, threads, access, partitioning, epochs, step, seed, stalenessEvery);
        }
    }
}
