package dev.warthog.gen;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GeneratorsTest {
    @Test
    void analogFollowsThePapersRecipe() {
        Dataset d = Generators.analog(5000, 1000, 11);
        assertEquals(5000, d.rows());
        Row r = new Row();
        int pos = 0;
        for (int i = 0; i < d.rows(); i++) {
            d.row(i, r);
            assertTrue(r.nnz >= 5 && r.nnz <= 10, "row " + i + " has " + r.nnz);
            assertEquals(1.0, r.squaredNorm(), 1e-12);
            double score = 0;
            for (int k = 0; k < r.nnz; k++) {
                assertTrue(r.value(k) > 0);
                if (k > 0) assertTrue(r.column(k) > r.column(k - 1));
                int i1 = r.column(k) + 1;
                score += r.value(k) * (i1 % 4) * Math.pow(-1, i1);
            }
            assertEquals(score > 0 ? 1.0 : -1.0, r.label);
            if (r.label > 0) pos++;
        }
        assertTrue(pos > 1000 && pos < 4000, "class balance " + pos);
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherData() {
        for (Generators.Kind k : Generators.Kind.values()) {
            Dataset a = k.generate(300, 200, 5), b = k.generate(300, 200, 5), c = k.generate(300, 200, 6);
            assertArrayEquals(a.values(), b.values(), 0, k.cliName());
            assertArrayEquals(a.labels(), b.labels(), 0, k.cliName());
            if (a.isSparse()) assertArrayEquals(a.indices(), b.indices());
            assertFalse(java.util.Arrays.equals(a.values(), c.values()), k.cliName());
        }
    }

    @Test
    void textDataHasHotFeaturesAndPowerLawFrequencies() {
        Dataset d = Generators.text(4000, 5000, 75, 3);
        int[] freq = new int[d.cols()];
        for (int k = 0; k < d.nnz(); k++) freq[d.indices()[k]]++;
        double meanNnz = (double) d.nnz() / d.rows();
        assertTrue(meanNnz > 40 && meanNnz < 80, "mean nnz " + meanNnz);
        assertTrue(freq[0] > 0.9 * d.rows(), "hottest feature in " + freq[0] + " rows");
        int rare = 0;
        for (int j = d.cols() / 2; j < d.cols(); j++) rare += freq[j];
        assertTrue(rare < 0.1 * d.nnz(), "the colder half of the columns holds " + rare + " of " + d.nnz());
        Row r = new Row();
        for (int i = 0; i < 50; i++) assertEquals(1.0, d.row(i, r).squaredNorm(), 1e-12);
    }

    @Test
    void denseHasTheRequestedConditionNumber() {
        int n = 40000, dim = 8;
        Dataset d = Generators.dense(n, dim, 100, 0, 1, false, 9);
        double[] var = new double[dim];
        for (int i = 0; i < n; i++) for (int j = 0; j < dim; j++) var[j] += d.values()[i * dim + j] * d.values()[i * dim + j] / n;
        assertEquals(100, var[0] / var[dim - 1], 10);
    }

    @Test
    void denseLinearLabelsFollowTheTrueWeights() {
        int n = 2000, dim = 5;
        Dataset d = Generators.dense(n, dim, 4, 0.01, 1, false, 21);
        double[] w = Generators.denseTrueWeights(dim, 1, 21);
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double m = 0;
            for (int j = 0; j < dim; j++) m += d.values()[i * dim + j] * w[j];
            sse += (m - d.label(i)) * (m - d.label(i));
        }
        assertEquals(0.01, Math.sqrt(sse / n), 0.002);
    }
}
