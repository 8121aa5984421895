package dev.warthog.solver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SolversTest {
    @Test
    void buildsEveryNamedSolverWithItsDefaults() {
        for (String n : Solvers.NAMES) assertEquals(n, Solvers.byName(n).name());
        assertInstanceOf(GradientDescent.class, Solvers.byName("gd"));
        assertEquals(0.0, ((GradientDescent) Solvers.byName("gd")).momentum());
        assertEquals(0.9, ((GradientDescent) Solvers.byName("agd")).momentum());
        assertInstanceOf(Sgd.class, Solvers.byName("sgd"));
        assertInstanceOf(Lbfgs.class, Solvers.byName("lbfgs", null));
        assertEquals(Solvers.NAMES.size(), Solvers.describe().size());
        assertInstanceOf(dev.warthog.hogwild.Hogwild.class, Solvers.byName("hogwild"));
    }

    @Test
    void appliesOptions() {
        GradientDescent agd = (GradientDescent) Solvers.byName("agd", SolverOptions.builder()
                .iterations(77).step(0.25).momentum(0.5).tolerance(1e-4).lineSearch(true).build());
        assertEquals(77, agd.maxIterations());
        assertEquals(0.25, agd.step());
        assertEquals(0.5, agd.momentum());
        assertEquals(1e-4, agd.tolerance());
        assertTrue(agd.backtracking());

        Sgd sgd = (Sgd) Solvers.byName("sgd", SolverOptions.builder().epochs(5).step(0.1).batch(8).seed(42L).decay(0.8).build());
        assertEquals(5, sgd.epochs());
        assertEquals(0.1, sgd.step());
        assertEquals(8, sgd.batch());
        assertEquals(42L, sgd.seed());
        assertEquals(0.8, sgd.decay());
        assertEquals(Sgd.Schedule.EPOCH_DECAY, sgd.schedule());
        Sgd opt = (Sgd) Solvers.byName("sgd", SolverOptions.builder().schedule("optimal").build());
        assertEquals(Sgd.Schedule.OPTIMAL, opt.schedule());

        Lbfgs l = (Lbfgs) Solvers.byName("lbfgs", SolverOptions.builder().iterations(9).tolerance(1e-6).seed(1L).build());
        assertEquals(9, l.maxIterations());
        assertEquals(1e-6, l.gradientTolerance());
    }

    @Test
    void rejectsUnknownNamesAndOptionsASolverDoesNotHave() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName("adam"));
        assertTrue(e.getMessage().contains("unknown solver 'adam'") && e.getMessage().contains("lbfgs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Solvers.byName(null));
        assertThrows(IllegalArgumentException.class, () -> Solvers.byName("gd", SolverOptions.builder().momentum(0.5).build()));
        assertThrows(IllegalArgumentException.class, () -> Solvers.byName("sgd", SolverOptions.builder().momentum(0.5).build()));
        assertThrows(IllegalArgumentException.class, () -> Solvers.byName("lbfgs", SolverOptions.builder().step(0.5).build()));
        assertThrows(IllegalArgumentException.class, () -> Solvers.byName("gd", SolverOptions.builder().batch(4).build()));
        assertThrows(IllegalArgumentException.class, () -> Solvers.byName("sgd", SolverOptions.builder().schedule("nope").build()));
        assertThrows(IllegalArgumentException.class, () -> Solvers.byName("sgd", SolverOptions.builder().batch(0).build()));
    }
}
