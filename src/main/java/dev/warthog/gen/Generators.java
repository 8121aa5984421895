package dev.warthog.gen;

import dev.warthog.data.Dataset;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded, reproducible synthetic datasets: the same arguments give bit-identical data on
 * every machine and thread count (one {@link SplittableRandom} stream, rows in order).
 */
public final class Generators {
    private Generators() {}

    /** Default shape of the WP-SGD analog workload (seed 001, section 5.2). */
    public static final int ANALOG_ROWS = 460_000, ANALOG_COLS = 100_000;

    /**
     * The WP-SGD paper's analog data (seed 001, section 5.2): every row has 5 to 10 non-zeros
     * at uniformly random distinct columns with values uniform in (0, 1], scaled to unit L2
     * norm; the label is +1 when sum_i x_i (i mod 4) (-1)^i > 0 (i the 1-based column) and -1
     * otherwise, so the classes are linearly separable by that weight vector.
     */
    public static Dataset analog(int rows, int cols, long seed) {
        if (cols < 10) throw new IllegalArgumentException("analog data needs at least 10 columns, got " + cols);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] ptr = new int[rows + 1];
        int[] idx = new int[rows * 10];
        double[] val = new double[rows * 10];
        double[] y = new double[rows];
        int[] cand = new int[10];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            int nnz = 5 + rnd.nextInt(6);
            drawDistinct(rnd, cols, nnz, cand);
            Arrays.sort(cand, 0, nnz);
            double norm = 0;
            for (int t = 0; t < nnz; t++) {
                double v = 1.0 - rnd.nextDouble();  // (0, 1]
                idx[k + t] = cand[t];
                val[k + t] = v;
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            double score = 0;
            for (int t = 0; t < nnz; t++) {
                double v = val[k + t] / norm;
                val[k + t] = v;
                int col1 = idx[k + t] + 1;
                score += v * (col1 % 4) * ((col1 & 1) == 0 ? 1 : -1);
            }
            y[i] = score > 0 ? 1 : -1;
            k += nnz;
            ptr[i + 1] = k;
        }
        return Dataset.sparse(rows, cols, ptr, Arrays.copyOf(idx, k), Arrays.copyOf(val, k), y,
                "analog(rows=" + rows + ",cols=" + cols + ",seed=" + seed + ")");
    }

    /** k distinct uniform columns in [0, cols) into out[0..k) (k small: rejection). */
    private static void drawDistinct(SplittableRandom rnd, int cols, int k, int[] out) {
        for (int t = 0; t < k; t++) {
            int c;
            boolean dup;
            do {
                c = rnd.nextInt(cols);
                dup = false;
                for (int u = 0; u < t; u++) if (out[u] == c) { dup = true; break; }
            } while (dup);
            out[t] = c;
        }
    }

    /**
     * Dense Gaussian features with a chosen condition number: column j is scaled by
     * kappa^(-j/(2(d-1))), so the population covariance has eigenvalues from 1 down to
     * 1/kappa (condition number {@code kappa}). The true weights w* are Gaussian with unit
     * norm, scaled by {@code signal}.
     *
     * @param logistic true: y = +1 with probability sigmoid(x.w*), else -1;
     *                 false: y = x.w* + noise * N(0,1)
     */
    public static Dataset dense(int rows, int cols, double kappa, double noise, double signal,
                                boolean logistic, long seed) {
        if (!(kappa >= 1)) throw new IllegalArgumentException("condition number must be >= 1, got " + kappa);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] scale = new double[cols];
        for (int j = 0; j < cols; j++) scale[j] = cols == 1 ? 1 : Math.pow(kappa, -0.5 * j / (cols - 1));
        double[] wStar = trueWeights(rnd, cols, signal);
        double[] x = new double[Math.multiplyExact(rows, cols)];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double m = 0;
            for (int j = 0; j < cols; j++) {
                double v = gaussian(rnd) * scale[j];
                x[i * cols + j] = v;
                m += v * wStar[j];
            }
            if (logistic) y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-m)) ? 1 : -1;
            else y[i] = m + noise * gaussian(rnd);
        }
        return Dataset.dense(rows, cols, x, y, (logistic ? "dense-logistic" : "dense-linear")
                + "(rows=" + rows + ",cols=" + cols + ",kappa=" + kappa + ",seed=" + seed + ")");
    }

    /** The weight vector {@link #dense} draws first from {@code seed}: for tests that recover it. */
    public static double[] denseTrueWeights(int cols, double signal, long seed) {
        return trueWeights(new SplittableRandom(seed), cols, signal);
    }

    private static double[] trueWeights(SplittableRandom rnd, int cols, double signal) {
        double[] w = new double[cols];
        double n = 0;
        for (int j = 0; j < cols; j++) { w[j] = gaussian(rnd); n += w[j] * w[j]; }
        n = Math.sqrt(n);
        for (int j = 0; j < cols; j++) w[j] *= signal / n;
        return w;
    }

    /**
     * Text-like sparse data (RCV1-like): each row draws about {@code meanNnz} features
     * (uniform in [meanNnz/2, 3 meanNnz/2]) from a Zipf law with exponent 1.1 over the
     * columns, so low-numbered columns are "hot" and shared by a large fraction of the rows
     * (the regime where Hogwild! updates conflict). Values are tf-idf-like (log(1 + count)
     * times the column's inverse frequency weight), rows scaled to unit norm; labels are the
     * sign of x.w* for a sparse random w* with 5% label noise.
     */
    public static Dataset text(int rows, int cols, int meanNnz, long seed) {
        if (meanNnz < 2 || meanNnz > cols) throw new IllegalArgumentException("mean non-zeros must be in [2, cols]");
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] cdf = new double[cols];
        double z = 0;
        for (int j = 0; j < cols; j++) { z += Math.pow(j + 1, -1.1); cdf[j] = z; }
        for (int j = 0; j < cols; j++) cdf[j] /= z;
        double[] wStar = new double[cols];
        for (int j = 0; j < cols; j++) if (rnd.nextInt(10) == 0) wStar[j] = gaussian(rnd);
        int[] ptr = new int[rows + 1];
        int cap = Math.max(16, (int) Math.min(Integer.MAX_VALUE - 8, (long) rows * meanNnz * 5 / 4));
        int[] idx = new int[cap];
        double[] val = new double[cap];
        double[] y = new double[rows];
        int maxRow = meanNnz * 3 / 2 + 1;
        int[] draw = new int[maxRow];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            int want = meanNnz / 2 + rnd.nextInt(meanNnz + 1);
            for (int t = 0; t < want; t++) {
                int c = Arrays.binarySearch(cdf, rnd.nextDouble());
                draw[t] = Math.min(c < 0 ? -c - 1 : c, cols - 1);
            }
            Arrays.sort(draw, 0, want);
            if (k + want > idx.length) {
                int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) idx.length * 3 / 2, k + want));
                idx = Arrays.copyOf(idx, n);
                val = Arrays.copyOf(val, n);
            }
            int start = k;
            for (int t = 0; t < want; ) {  // repeated draws of a column become its term count
                int c = draw[t], count = 0;
                while (t < want && draw[t] == c) { t++; count++; }
                idx[k] = c;
                val[k] = Math.log1p(count) * Math.log(2.0 + c);  // idf grows with rarity
                k++;
            }
            double norm = 0, m = 0;
            for (int p = start; p < k; p++) norm += val[p] * val[p];
            norm = Math.sqrt(norm);
            for (int p = start; p < k; p++) { val[p] /= norm; m += val[p] * wStar[idx[p]]; }
            double label = m > 0 ? 1 : -1;
            y[i] = rnd.nextInt(20) == 0 ? -label : label;
            ptr[i + 1] = k;
        }
        return Dataset.sparse(rows, cols, ptr, Arrays.copyOf(idx, k), Arrays.copyOf(val, k), y,
                "text(rows=" + rows + ",cols=" + cols + ",nnz/row~" + meanNnz + ",seed=" + seed + ")");
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller on our own stream (java.util.Random's nextGaussian would need another generator)
        double u = 1.0 - rnd.nextDouble(), v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** The generator kinds of the CLI's {@code --gen}/{@code gen --kind}. */
    public enum Kind {
        ANALOG("analog"), DENSE_LOGISTIC("dense-logistic"), DENSE_LINEAR("dense-linear"), TEXT("text");

        private final String cliName;
        Kind(String n) { this.cliName = n; }
        public String cliName() { return cliName; }

        public static Kind parse(String s) {
            for (Kind k : values()) if (k.cliName.equals(s)) return k;
            throw new IllegalArgumentException("unknown generator '" + s + "': expected analog, dense-logistic, dense-linear or text");
        }

        /** Default rows and columns for this kind. */
        public int defaultRows() { return switch (this) { case ANALOG -> ANALOG_ROWS; case TEXT -> 100_000; default -> 100_000; }; }
        public int defaultCols() { return switch (this) { case ANALOG -> ANALOG_COLS; case TEXT -> 50_000; default -> 64; }; }

        /** Generates with defaults for the parameters the kind does not take as arguments. */
        public Dataset generate(int rows, int cols, long seed) {
            return switch (this) {
                case ANALOG -> analog(rows, cols, seed);
                case DENSE_LOGISTIC -> dense(rows, cols, 100, 0, 5, true, seed);
                case DENSE_LINEAR -> dense(rows, cols, 100, 0.1, 1, false, seed);
                case TEXT -> text(rows, cols, Math.min(75, cols), seed);
            };
        }
    }
}
