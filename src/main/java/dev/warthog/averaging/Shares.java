package dev.warthog.averaging;

import dev.warthog.data.RowSubset;
import dev.warthog.engine.Partitioning;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Per-worker shares of the training rows, for heterogeneous workloads ({@code --shares
 * i:fraction,...}). Worker i gets that fraction of the rows; a fraction of 0 is a worker
 * with no data, which does no local steps (its replica keeps the last average, and it is
 * still averaged in: PASGD averages all m replicas, seed 003 eq. (1)). Workers the setting
 * does not name split what is left equally. The fractions must lie in [0, 1] and sum to at
 * most 1; when every worker is named they must sum to 1.
 *
 * <p>The rows are dealt from one seeded shuffle: without {@code --shares} exactly as
 * {@link Partitioning#RANDOM} deals them (so the averaging family and the synchronous
 * mini-batch SGD of the same seed own the same rows); with shares, the same kind of
 * shuffle is cut at the cumulative fractions.
 */
public final class Shares {
    private final double[] fraction;   // per worker; NaN = not named

    private Shares(double[] fraction) { this.fraction = fraction; }

    /** Equal shares. */
    public static Shares equal(int workers) {
        double[] f = new double[workers];
        Arrays.fill(f, Double.NaN);
        return new Shares(f);
    }

    /** Parses {@code i:fraction,...} for {@code workers} workers; null or blank means equal shares. */
    public static Shares parse(String spec, int workers) {
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        Shares s = equal(workers);
        if (spec == null || spec.isBlank()) return s;
        for (String item : spec.split(",")) {
            String[] p = item.trim().split(":");
            if (p.length != 2) throw bad(item, "i:fraction, e.g. 0:0.5");
            int i;
            double x;
            try { i = Integer.parseInt(p[0].trim()); } catch (NumberFormatException e) { throw bad(item, "a worker id (an integer >= 0) before ':'"); }
            try { x = Double.parseDouble(p[1].trim()); } catch (NumberFormatException e) { throw bad(item, "a fraction after ':', got '" + p[1].trim() + "'"); }
            if (i < 0 || i >= workers)
                throw bad(item, "a worker id in 0.." + (workers - 1) + " (the run has " + workers + " worker" + (workers == 1 ? "" : "s") + ")");
            if (!(x >= 0 && x <= 1)) throw bad(item, "a fraction in [0, 1]");
            if (!Double.isNaN(s.fraction[i])) throw bad(item, "each worker named once (worker " + i + " is named twice)");
            s.fraction[i] = x;
        }
        double sum = 0;
        int unnamed = 0;
        for (double f : s.fraction) if (Double.isNaN(f)) unnamed++; else sum += f;
        if (sum > 1 + 1e-9)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--shares: the fractions sum to %.6g; expected at most 1", sum));
        if (unnamed == 0 && Math.abs(sum - 1) > 1e-9)
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--shares: every worker is named and the fractions sum to %.6g; expected 1 (or leave some workers unnamed to split the rest)", sum));
        double rest = Math.max(0, 1 - sum) / Math.max(1, unnamed);
        for (int k = 0; k < workers; k++) if (Double.isNaN(s.fraction[k])) s.fraction[k] = rest;
        s.named = true;
        return s;
    }

    private boolean named;

    private static IllegalArgumentException bad(String item, String expected) {
        return new IllegalArgumentException("--shares: cannot read '" + item.trim() + "': expected " + expected);
    }

    public int workers() { return fraction.length; }

    /** Worker i's fraction (1/M for equal shares). */
    public double fraction(int i) { return named ? fraction[i] : 1.0 / fraction.length; }

    /** Deals the rows of {@code all} to the workers (views, never copies). */
    public RowSubset[] split(RowSubset all, long seed) {
        int m = fraction.length;
        if (!named) return Partitioning.RANDOM.split(all, m, seed);
        int n = all.size();
        int[] ids = new int[n];
        for (int k = 0; k < n; k++) ids[k] = all.rowId(k);
        // the same shuffle as Partitioning.RANDOM, then cut at the cumulative fractions
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        for (int k = n - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = ids[k]; ids[k] = ids[j]; ids[j] = t;
        }
        RowSubset[] out = new RowSubset[m];
        double cum = 0;
        int a = 0;
        for (int w = 0; w < m; w++) {
            cum += fraction[w];
            int b = w == m - 1 && unnamedOrFull() ? n : (int) Math.min(n, Math.round(n * cum));
            if (fraction[w] == 0) b = a;
            out[w] = RowSubset.of(all.data(), Arrays.copyOfRange(ids, a, b));
            a = b;
        }
        return out;
    }

    /** True when the fractions cover all the rows (the last worker takes the rounding rest). */
    private boolean unnamedOrFull() {
        double sum = 0;
        for (double f : fraction) sum += f;
        return Math.abs(sum - 1) <= 1e-9 && fraction[fraction.length - 1] > 0;
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fraction.length; i++) b.append(i == 0 ? "" : ",").append(i).append(':').append(String.format(Locale.ROOT, "%.4g", fraction(i)));
        return b.toString();
    }
}
