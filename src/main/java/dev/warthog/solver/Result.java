package dev.warthog.solver;

import dev.warthog.model.Model;
import dev.warthog.objective.Problem;
import dev.warthog.trace.Trace;

import java.util.Map;

/**
 * What a solver returns: the final weights, the trace, the training seconds (evaluation
 * excluded), the epochs (or iterations) run, the samples processed (single-row gradient
 * evaluations, for samples-per-second figures), the worker threads, and algorithm-specific
 * figures ({@code extras}: e.g. Hogwild!'s updates and staleness) for the JSON summary.
 */
public record Result(String algorithm, Problem problem, double[] weights, Trace trace, double trainSeconds,
                     int epochs, long samples, int threads, Map<String, Object> extras) {
    public Result {
        extras = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extras == null ? Map.of() : extras));
    }

    /** A result with no extras. */
    public Result(String algorithm, Problem problem, double[] weights, Trace trace, double trainSeconds,
                  int epochs, long samples, int threads) {
        this(algorithm, problem, weights, trace, trainSeconds, epochs, samples, threads, Map.of());
    }

    /** Final F(w) on the training data. */
    public double objective() { return problem.value(weights); }

    /** The weights as a model that predicts. */
    public Model model() { return new Model(weights, problem.loss()); }
}
