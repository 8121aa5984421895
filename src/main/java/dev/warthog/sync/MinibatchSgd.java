package dev.warthog.sync;

import dev.warthog.solver.Solver;
import dev.warthog.solver.SolverOptions;

/** Placeholder until the implementation lands (this session). */
public final class MinibatchSgd {
    private MinibatchSgd() {}

    public static Solver fromOptions(SolverOptions opts) { throw new UnsupportedOperationException("MinibatchSgd is not built yet"); }
}
