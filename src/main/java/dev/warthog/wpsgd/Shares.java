package dev.warthog.wpsgd;

import java.util.Arrays;

/**
 * The per-worker shares of the data of an unbalanced workload (seed 001 section 5.2: "the
 * quantity of training data for each of eight nodes was five times that for each of the
 * remaining two"; Figure 7: two nodes that do not work). Parsed from
 * {@code --shares i:fraction,...}: the named workers get their fraction (0 = a worker that
 * does nothing), the others split the rest equally.
 */
public final class Shares {
    private Shares() {}

    /** Tolerance on "the fractions sum to 1". */
    static final double SUM_TOLERANCE = 1e-9;

    /**
     * The fractions of {@code workers} workers; null or blank {@code spec} = equal shares.
     *
     * @throws IllegalArgumentException naming {@code --shares} and what was expected
     */
    public static double[] parse(String spec, int workers) {
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        double[] f = new double[workers];
        if (spec == null || spec.isBlank()) {
            Arrays.fill(f, 1.0 / workers);
            return f;
        }
        boolean[] named = new boolean[workers];
        double sum = 0;
        int nNamed = 0;
        for (String item : spec.split(",")) {
            String[] p = item.trim().split(":");
            if (p.length != 2) throw bad(item, "i:fraction, e.g. 8:0.1");
            int i;
            try {
                i = Integer.parseInt(p[0].trim());
            } catch (NumberFormatException e) {
                throw bad(item, "a worker id (an integer >= 0) before ':'");
            }
            if (i < 0 || i >= workers)
                throw bad(item, "a worker id in 0.." + (workers - 1) + " (the run has " + workers + " worker"
                        + (workers == 1 ? "" : "s") + ")");
            if (named[i]) throw bad(item, "each worker at most once (worker " + i + " is named twice)");
            double x;
            try {
                x = Double.parseDouble(p[1].trim());
            } catch (NumberFormatException e) {
                throw bad(item, "a number after ':', got '" + p[1].trim() + "'");
            }
            if (!(x >= 0 && x <= 1)) throw bad(item, "a fraction in [0, 1]");
            named[i] = true;
            f[i] = x;
            sum += x;
            nNamed++;
        }
        if (sum > 1 + SUM_TOLERANCE)
            throw new IllegalArgumentException("--shares: the fractions sum to " + fmt(sum) + ", expected at most 1");
        int rest = workers - nNamed;
        if (rest == 0) {
            if (Math.abs(sum - 1) > SUM_TOLERANCE)
                throw new IllegalArgumentException("--shares: every worker is named, so the fractions must sum to 1, got " + fmt(sum));
        } else {
            double each = Math.max(0, 1 - sum) / rest;
            for (int i = 0; i < workers; i++) if (!named[i]) f[i] = each;
        }
        boolean any = false;
        for (double x : f) any |= x > 0;
        if (!any) throw new IllegalArgumentException("--shares: at least one worker needs a share > 0");
        return f;
    }

    /**
     * Row counts n_i of {@code n} rows: n_i = floor(f_i n) (with a 1e-6 slack, so that 0.2 x
     * 1200 is 240 and not 239 after rounding), and the rows left over go one each to the
     * workers with f_i > 0 in id order (deterministic). Sums to n.
     */
    public static int[] rowCounts(double[] fractions, int n) {
        int[] c = new int[fractions.length];
        long total = 0;
        for (int i = 0; i < c.length; i++) { c[i] = (int) Math.floor(fractions[i] * n + 1e-6); total += c[i]; }
        // the slack can only overshoot by rounding: take the extra rows back from the last workers
        for (int i = c.length - 1; total > n; i = i == 0 ? c.length - 1 : i - 1)
            if (c[i] > 0) { c[i]--; total--; }
        int left = (int) (n - total);
        while (left > 0) {
            for (int i = 0; i < c.length && left > 0; i++) if (fractions[i] > 0) { c[i]++; left--; }
        }
        return c;
    }

    private static String fmt(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static IllegalArgumentException bad(String item, String expected) {
        return new IllegalArgumentException("--shares: cannot read '" + item.trim() + "': expected " + expected);
    }
}
