package dev.warthog.asaga;

import dev.warthog.engine.Partitioning;
import dev.warthog.shared.AccessMode;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Solver;
import dev.warthog.trace.Tracker;

import java.util.function.Function;

/**
 * What {@link Asaga}, {@link AsyncIag} and {@link ProxAsaga} share: a solver that runs
 * {@link AsyncVr} with one fixed method over {@link Asaga.Builder}'s options (one set of
 * options and one parser for the three names).
 */
public abstract class AsyncVrFacade implements Solver {
    final AsyncVr.Settings settings;

    AsyncVrFacade(AsyncVr.Settings s) { this.settings = s; }

    @Override public Result solve(Problem p, Tracker tracker) { return run(p, tracker).result(); }

    /** The run, with the memory at the end (tests). */
    AsyncVr.Outcome run(Problem p, Tracker tracker) { return AsyncVr.run(settings, p, tracker); }

    @Override public String toString() { return Asaga.describe(settings); }

    /** The builder of AsyncIag and ProxAsaga: {@link Asaga.Builder}'s setters, and {@code build} for the method. */
    public abstract static class Builder<B extends Builder<B, S>, S extends AsyncVrFacade> {
        private final Asaga.Builder b = Asaga.builder();
        private final AsyncVr.Method method;
        private final Function<AsyncVr.Settings, S> make;

        Builder(AsyncVr.Method method, Function<AsyncVr.Settings, S> make) {
            this.method = method;
            this.make = make;
        }

        @SuppressWarnings("unchecked") private B self() { return (B) this; }

        public B threads(int v) { b.threads(v); return self(); }
        public B access(AccessMode v) { b.access(v); return self(); }
        public B partitioning(Partitioning v) { b.partitioning(v); return self(); }
        public B epochs(int v) { b.epochs(v); return self(); }
        public B step(double v) { b.step(v); return self(); }
        public B seed(long v) { b.seed(v); return self(); }
        public B stalenessEvery(int k) { b.stalenessEvery(k); return self(); }
        public S build() { return make.apply(b.settings(method)); }
    }
}
