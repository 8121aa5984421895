package dev.warthog.averaging;

import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.testutil.Numerics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AdaCommTest {
    static final Problem P = LocalSgdTest.LOGISTIC;

    @Test
    void basicRuleIsEquationSix() {
        // ceil(sqrt(eta0/etal * F_l/F_0) * tau0)
        assertEquals(12, AdaComm.basicPeriod(16, 0.1, 0.1, 1.0, 0.5));   // sqrt(0.5)*16 = 11.31
        assertEquals(9, AdaComm.basicPeriod(16, 0.1, 0.1, 1.0, 0.3));    // 8.76
        assertEquals(16, AdaComm.basicPeriod(16, 0.1, 0.1, 1.0, 1.0));
        assertEquals(23, AdaComm.basicPeriod(16, 0.2, 0.1, 1.0, 1.0));   // sqrt(2)*16 = 22.6
        assertEquals(1, AdaComm.basicPeriod(16, 0.1, 0.1, 1.0, 0.0));
    }

    @Test
    void periodSequenceForAScriptedLossFollowsTheRule() {
        // F(x_0) = 1, tau0 = 16, gamma = 1/2, fixed eta, decay 0.5 once tau = 1; by hand:
        //  F=0.5  -> ceil(11.31) = 12 < 16          -> 12
        //  F=0.3  -> ceil(8.76)  = 9  < 12          -> 9
        //  F=0.29 -> ceil(8.62)  = 9  >= 9          -> floor(9/2) = 4
        //  F=0.28 -> ceil(8.47)  = 9  >= 4          -> 2
        //  F=0.01 -> ceil(1.6)   = 2  >= 2          -> 1
        //  F=0.009 -> tau stays 1, eta halves from now on
        double[] f = {0.5, 0.3, 0.29, 0.28, 0.01, 0.009, 0.008};
        int[] wantTau = {12, 9, 4, 2, 1, 1, 1};
        double[] wantEta = {0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.025};
        int tau = 16;
        double eta = 0.1;
        for (int l = 0; l < f.length; l++) {
            double etaL = AdaComm.nextRate(tau, eta, 0.5);
            tau = AdaComm.nextPeriod(16, tau, 0.1, eta, etaL, 1.0, f[l], 0.5);
            eta = etaL;
            assertEquals(wantTau[l], tau, "interval " + (l + 1));
            assertEquals(wantEta[l], eta, 0, "interval " + (l + 1));
        }
        // gamma close to 1 still strictly decreases the period
        assertEquals(2, AdaComm.nextPeriod(16, 3, 0.1, 0.1, 0.1, 1.0, 1.0, 0.9));
    }

    @Test
    void solverRecordsTheRuleAppliedToItsOwnLosses() {
        Result r = AdaComm.builder().workers(3).threads(2).batch(2).seed(5).step(0.05).tau0(16).interval("30").gamma(0.5)
                .epochs(8).build().solve(P, Numerics.quiet(P));
        int[] taus = (int[]) r.extras().get("tauSequence");
        double[] loss = (double[]) r.extras().get("intervalLoss");
        double[] eta = (double[]) r.extras().get("intervalStep");
        assertEquals(16, taus[0]);
        assertEquals(taus.length, loss.length);
        assertTrue(taus.length > 3, "several intervals: " + taus.length);
        assertEquals(Math.log(2), loss[0], 1e-12, "F(x_0 = 0) of the logistic loss");
        for (int l = 1; l < taus.length; l++) {
            assertEquals(AdaComm.nextPeriod(16, taus[l - 1], 0.05, eta[l - 1], eta[l], loss[0], loss[l], 0.5), taus[l], "interval " + l);
            assertTrue(taus[l] <= taus[l - 1], "periods never grow");
        }
        assertEquals(1, taus[taus.length - 1], "tau reaches 1");
        assertEquals(P.value(r.weights()), P.value(r.weights()));
    }

    @Test
    void reproducibleAndThreadIndependentWithIntervalsInSteps() {
        AdaComm.Builder b = AdaComm.builder().workers(4).batch(1).seed(9).tau0(8).interval("60").epochs(3);
        double[] w1 = b.threads(1).build().solve(P, Numerics.quiet(P)).weights();
        double[] w3 = b.threads(3).build().solve(P, Numerics.quiet(P)).weights();
        double[] w3again = b.threads(3).build().solve(P, Numerics.quiet(P)).weights();
        Numerics.assertBitsEqual(w1, w3, "1 vs 3 threads");
        Numerics.assertBitsEqual(w3, w3again, "same seed");
        // with block momentum
        AdaComm.Builder m = AdaComm.builder().workers(4).seed(9).tau0(8).interval("60").epochs(2).blockMomentum(0.3).step(0.01);
        Numerics.assertBitsEqual(m.threads(1).build().solve(P, Numerics.quiet(P)).weights(),
                m.threads(2).build().solve(P, Numerics.quiet(P)).weights(), "block momentum");
    }

    @Test
    void gridSearchPicksACandidate() {
        Result r = AdaComm.builder().workers(2).threads(2).seed(1).epochs(2).build().solve(P, Numerics.quiet(P));
        int tau0 = (int) r.extras().get("tau0");
        assertTrue(Integer.bitCount(tau0) == 1 && tau0 <= 64, "tau0 " + tau0);
        assertTrue(r.extras().containsKey("tau0Search"));
        assertTrue(r.objective() < Math.log(2));
    }

    @Test
    void convergesOnHeartScale() {
        Result r = AdaComm.builder().workers(4).threads(2).seed(2).tau0(16).interval("100").epochs(30).decay(0.9)
                .build().solve(P, Numerics.quiet(P));
        assertEquals(LocalSgdTest.F_STAR, r.objective(), 0.01 * LocalSgdTest.F_STAR);
    }

    @Test
    void intervalParsing() {
        assertEquals(new AdaComm.Interval(500, false), AdaComm.Interval.parse("500"));
        assertEquals(new AdaComm.Interval(2, true), AdaComm.Interval.parse("2s"));
        assertEquals(new AdaComm.Interval(0.3, true), AdaComm.Interval.parse("300ms"));
        for (String bad : new String[] {"", "x", "-3", "0", "2h"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> AdaComm.Interval.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--interval"), e.getMessage());
        }
    }
}
