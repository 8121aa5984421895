package dev.warthog.solver;

import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every stochastic solver refuses the same bad steps with the same message, naming itself:
 * no step for the hinge loss (its smoothness constant is infinite, so a default step would be
 * 0), and a step with eta l2 >= 1 (the L2 shrink 1 - eta l2 would not be positive).
 */
class StepsTest {
    private static final String[] STOCHASTIC = {"sgd", "sag", "saga", "iag", "asaga", "proxasaga", "async-iag",
            "minibatch-sgd", "async-sgd", "local-sgd", "adacomm", "fedavg", "simuparallel", "wpsgd", "average-directly"};

    static String[] stochastic() { return STOCHASTIC; }

    @ParameterizedTest
    @MethodSource("stochastic")
    void theHingeLossWithoutAStepIsRefusedByName(String name) {
        Problem p = Problem.of(Fixtures.SPARSE, Loss.HINGE, 1e-2, 0);
        Solver s = Solvers.byName(name, SolverOptions.builder().epochs(1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.solve(p));
        assertEquals(name + ": the hinge loss has no smoothness constant; give an explicit step", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("stochastic")
    void aStepWhoseShrinkIsNotPositiveIsRefusedByName(String name) {
        Problem p = Problem.of(Fixtures.SPARSE, Loss.LOGISTIC, 1e-2, 0);
        Solver s = Solvers.byName(name, SolverOptions.builder().epochs(1).step(150.0).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.solve(p));
        // the lock-free VR solvers scale l2 by the rarest feature's D_j >= 1, so their product is larger
        assertTrue(e.getMessage().startsWith(name + ": step * l2 "), e.getMessage());
        assertTrue(e.getMessage().contains("must be < 1"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.0, Double.POSITIVE_INFINITY})
    void shrinkableRefusesStepsThatAreNotFiniteAndPositive(double eta) {
        Problem p = Problem.of(Fixtures.SPARSE, Loss.LOGISTIC, 1e-2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Steps.shrinkable(eta, p, "x"));
        assertEquals("x: step must be finite and > 0, got " + eta, e.getMessage());
        assertEquals(99.0, Steps.shrinkable(99.0, p, "x"));   // 0.99 < 1
        assertThrows(IllegalArgumentException.class, () -> Steps.shrinkable(100.0, p, "x"));
    }

    @org.junit.jupiter.api.Test
    void everyStochasticSolverIsCovered() {
        // a new stochastic solver must join the lists above: the deterministic ones take no step of this kind
        for (String n : Solvers.NAMES)
            if (!java.util.List.of("gd", "agd", "lbfgs", "hogwild").contains(n))
                assertTrue(java.util.Arrays.asList(STOCHASTIC).contains(n), n);
    }
}
