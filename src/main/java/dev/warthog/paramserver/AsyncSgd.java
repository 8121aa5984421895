package dev.warthog.paramserver;

import dev.warthog.solver.Solver;
import dev.warthog.solver.SolverOptions;

/** Placeholder until the implementation lands (this session). */
public final class AsyncSgd {
    private AsyncSgd() {}

    public static Solver fromOptions(SolverOptions opts) { throw new UnsupportedOperationException("AsyncSgd is not built yet"); }
}
