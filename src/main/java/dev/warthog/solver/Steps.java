package dev.warthog.solver;

import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;

import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The step checks every stochastic solver makes, in one place, so that a bad step gets the
 * same message whichever solver refuses it.
 */
public final class Steps {
    private Steps() {}

    /**
     * {@code step} when given (not NaN), else the solver's default from {@code fallback} (such as
     * 1/L_max). The hinge loss is not smooth and has no L_max, so it has no default step.
     *
     * @throws IllegalArgumentException hinge loss and no step, naming {@code solver}
     */
    public static double givenOr(double step, Problem p, String solver, DoubleSupplier fallback) {
        if (!Double.isNaN(step)) return step;
        requireSmooth(p, solver);
        return fallback.getAsDouble();
    }

    /**
     * Checks that {@code p}'s loss has a smoothness constant, as every default step needs (the
     * hinge loss's is infinite: its default step would be 0).
     *
     * @throws IllegalArgumentException for the hinge loss, naming {@code solver}
     */
    public static void requireSmooth(Problem p, String solver) {
        if (p.loss() == Loss.HINGE)
            throw new IllegalArgumentException(solver + ": the hinge loss has no smoothness constant; give an explicit step");
    }

    /**
     * {@code eta}, checked to be finite, positive and below 1/l2: every step multiplies w by the
     * L2 shrink 1 - eta l2, which must stay positive.
     *
     * @throws IllegalArgumentException otherwise, naming {@code solver}
     */
    public static double shrinkable(double eta, Problem p, String solver) {
        if (!(eta > 0) || Double.isInfinite(eta))
            throw new IllegalArgumentException(solver + ": step must be finite and > 0, got " + eta);
        if (eta * p.l2() >= 1)
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: step * l2 = %g must be < 1 (the L2 shrink 1 - eta l2 would not be positive)", solver, eta * p.l2()));
        return eta;
    }
}
