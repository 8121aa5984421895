package dev.warthog.objective;

import dev.warthog.data.Dataset;
import dev.warthog.gen.Generators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ProblemTest {
    static Dataset small(boolean sparse) {
        Dataset d = Generators.dense(60, 9, 50, 0.3, 2, true, 7);
        // sprinkle zeros so the sparse form really is sparse
        double[] x = d.values().clone();
        for (int k = 0; k < x.length; k += 3) x[k] = 0;
        Dataset dd = Dataset.dense(60, 9, x, d.labels(), "small");
        return sparse ? dd.toSparse() : dd;
    }

    static double naiveObjective(Dataset d, Loss loss, double l2, double l1, double[] w) {
        Dataset dense = d.toDense();
        double s = 0;
        for (int i = 0; i < dense.rows(); i++) {
            double m = 0;
            for (int j = 0; j < dense.cols(); j++) m += dense.values()[i * dense.cols() + j] * w[j];
            s += loss.value(m, dense.label(i));
        }
        double sq = 0, abs = 0;
        for (double v : w) { sq += v * v; abs += Math.abs(v); }
        return s / dense.rows() + l2 / 2 * sq + l1 * abs;
    }

    @ParameterizedTest
    @EnumSource(value = Loss.class, names = {"LOGISTIC", "SQUARED", "SMOOTH_HINGE"})
    void gradientMatchesFiniteDifferencesDenseAndSparse(Loss loss) {
        for (boolean sparse : new boolean[] {false, true}) {
            Problem p = Problem.of(small(sparse), loss, 0.03, 0);
            double[] w = new SplittableRandom(3).doubles(9, -1, 1).toArray();
            double[] g = new double[9];
            double f = p.gradient(w, g);
            assertEquals(naiveObjective(p.data(), loss, 0.03, 0, w), f, 1e-12);
            assertEquals(p.value(w), f, 1e-13);
            for (int j = 0; j < 9; j++) {
                double h = 1e-6, keep = w[j];
                w[j] = keep + h; double fp = p.value(w);
                w[j] = keep - h; double fm = p.value(w);
                w[j] = keep;
                assertEquals((fp - fm) / (2 * h), g[j], 1e-6, "coordinate " + j + (sparse ? " sparse" : " dense"));
            }
        }
    }

    @Test
    void l1TermIsInTheValueButNotTheGradient() {
        Problem p = Problem.of(small(true), Loss.LOGISTIC, 0.01, 0.2);
        Problem q = Problem.of(small(true), Loss.LOGISTIC, 0.01, 0);
        double[] w = {1, -2, 0, 0.5, 0, 0, 0, 0, 0.25};
        double[] g1 = new double[9], g2 = new double[9];
        assertEquals(q.gradient(w, g2) + 0.2 * 3.75, p.gradient(w, g1), 1e-14);
        assertArrayEquals(g2, g1, 0);
    }

    @Test
    void smoothnessBoundsTheTrueCurvature() {
        Dataset d = small(false);
        Problem p = Problem.of(d, Loss.SQUARED, 0, 0);
        // for squared loss the Hessian is X^T X / n: its top eigenvalue by long power iteration
        int n = d.rows(), dim = d.cols();
        double[] v = new double[dim];
        java.util.Arrays.fill(v, 1);
        double lambda = 0;
        for (int it = 0; it < 2000; it++) {
            double[] u = new double[dim];
            for (int i = 0; i < n; i++) {
                double m = 0;
                for (int j = 0; j < dim; j++) m += d.values()[i * dim + j] * v[j];
                for (int j = 0; j < dim; j++) u[j] += m * d.values()[i * dim + j] / n;
            }
            double nn = 0;
            for (double x : u) nn += x * x;
            nn = Math.sqrt(nn);
            lambda = nn;
            for (int j = 0; j < dim; j++) v[j] = u[j] / nn;
        }
        double L = p.smoothness();
        assertTrue(L >= lambda * (1 - 1e-9), "estimate " + L + " below lambda_max " + lambda);
        assertTrue(L <= lambda * 1.05, "estimate " + L + " far above lambda_max " + lambda);
        assertTrue(p.sampleSmoothness() >= L);
    }

    @Test
    void classificationNeedsTwoLabels() {
        Dataset d = Dataset.dense(3, 1, new double[] {1, 2, 3}, new double[] {0, 1, 2}, "three.csv");
        var e = assertThrows(dev.warthog.data.DataFormatException.class, () -> Problem.of(d, Loss.LOGISTIC, 0, 0));
        assertTrue(e.getMessage().startsWith("three.csv: binary classification needs exactly two distinct label values, found 3"), e.getMessage());
        assertEquals(3, Problem.of(d, Loss.SQUARED, 0, 0).data().rows());  // regression takes them as they are
    }

    @Test
    void proxL1IsSoftThresholding() {
        assertEquals(0.5, Problem.proxL1(1.5, 1), 0);
        assertEquals(-0.5, Problem.proxL1(-1.5, 1), 0);
        assertEquals(0, Problem.proxL1(0.9, 1), 0);
    }

    @Test
    void rejectsBadPenalties() {
        assertThrows(IllegalArgumentException.class, () -> Problem.of(small(true), Loss.LOGISTIC, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Problem.of(small(true), Loss.LOGISTIC, 0, Double.NaN));
    }
}
