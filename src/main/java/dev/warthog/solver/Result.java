package dev.warthog.solver;

import dev.warthog.model.Model;
import dev.warthog.objective.Problem;
import dev.warthog.trace.Trace;

/**
 * What a solver returns: the final weights, the trace, the training seconds (evaluation
 * excluded), the epochs (or iterations) run, and the samples processed (gradient
 * evaluations of single rows, for samples-per-second figures).
 */
public record Result(String algorithm, Problem problem, double[] weights, Trace trace, double trainSeconds,
                     int epochs, long samples, int threads) {
    /** Final F(w) on the training data. */
    public double objective() { return problem.value(weights); }

    /** The weights as a model that predicts. */
    public Model model() { return new Model(weights, problem.loss()); }
}
