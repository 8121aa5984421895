package dev.warthog.wpsgd;

import dev.warthog.solver.Solver;
import dev.warthog.solver.SolverOptions;

/** Placeholder until the implementation lands (this session). */
public final class WpSgdSolvers {
    private WpSgdSolvers() {}

    public static Solver byName(String name, SolverOptions opts) { throw new UnsupportedOperationException(name + " is not built yet"); }
}
