package dev.warthog.wpsgd;

/**
 * WP-SGD's combination weights (seed 001 eq. (6) and (8)) and the condition under which its
 * output beats the fastest node alone (eq. (7) and (9), Corollary 3).
 */
public final class Weights {
    private Weights() {}

    /**
     * weight_i = base^{T_i} / sum_j base^{T_j} (eq. (6) with base = 1 - lambda eta, eq. (8)
     * with base = r), computed relative to the smallest delay, base^{T_i - T_min} / sum_j
     * base^{T_j - T_min}, so that the largest term is 1 and nothing underflows to 0/0 for
     * long delays. When T_min = 0 this is the formula itself, operation for operation.
     */
    public static double[] of(double base, long[] delays) {
        if (!(base > 0 && base <= 1)) throw new IllegalArgumentException("weight base must be in (0, 1], got " + base);
        long min = Long.MAX_VALUE;
        for (long t : delays) {
            if (t < 0) throw new IllegalArgumentException("delays must be >= 0, got " + t);
            min = Math.min(min, t);
        }
        double[] w = new double[delays.length];
        double sum = 0;
        for (int i = 0; i < w.length; i++) { w[i] = Math.pow(base, delays[i] - min); sum += w[i]; }
        for (int i = 0; i < w.length; i++) w[i] /= sum;
        return w;
    }

    /** sum_i base^{T_i} (may underflow to 0 for very long delays; the condition then fails, as it should). */
    public static double contractionSum(double base, long[] delays) {
        double s = 0;
        for (long t : delays) s += Math.pow(base, t);
        return s;
    }

    /**
     * Eq. (7) (base = 1 - lambda eta) or eq. (9) (base = r): 2 sum_i base^{T_i} > sqrt(k) + k,
     * with k the number of workers. When it holds, the bound of Theorem 4 for WP-SGD's output
     * is below that of sequential SGD on the fastest node (Corollary 3).
     */
    public record Condition(double lhs, double rhs, boolean holds) {}

    public static Condition condition(double base, long[] delays) {
        double lhs = 2 * contractionSum(base, delays);
        double rhs = Math.sqrt(delays.length) + delays.length;
        return new Condition(lhs, rhs, lhs > rhs);
    }

    /**
     * Section 4.1's validity check of periodic WP-SGD: (k / sum_j (1 - lambda eta)^{T_j}) (1 - lambda eta)^{span} < 1,
     * with the delays T_j of one span. Returns the left-hand side.
     */
    public static double periodicFactor(double contraction, long[] spanDelays, long span) {
        return spanDelays.length / contractionSum(contraction, spanDelays) * Math.pow(contraction, span);
    }
}
