package dev.warthog.solver;

import dev.warthog.objective.Problem;
import dev.warthog.trace.Tracker;

/**
 * An optimiser of a {@link Problem}. Implementations are configured through their own
 * builders, are immutable, and may be reused; each {@link #solve} call owns its state.
 */
public interface Solver {
    /** The command-line name ("gd", "agd", "sgd", "lbfgs" ...). */
    String name();

    /** Runs from w = 0, recording into {@code tracker}. */
    Result solve(Problem problem, Tracker tracker);

    /** Runs with a tracker that evaluates every epoch and has no test set. */
    default Result solve(Problem problem) { return solve(problem, Tracker.of(problem)); }
}
