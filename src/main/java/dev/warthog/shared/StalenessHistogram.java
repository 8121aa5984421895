package dev.warthog.shared;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The delay tau of applied updates (seed 002's tau_max made concrete): how many other
 * workers' updates landed between an update's read of w and its write. Power-of-two
 * buckets: [0], [1], [2,3], [4,7], ... Thread-confined; one per worker, merged at the end.
 */
public final class StalenessHistogram {
    private final long[] buckets = new long[64];
    private long count;
    private long sum;
    private long max;

    public void record(long tau) {
        buckets[tau == 0 ? 0 : 64 - Long.numberOfLeadingZeros(tau)]++;
        count++;
        sum += tau;
        if (tau > max) max = tau;
    }

    public void merge(StalenessHistogram o) {
        for (int b = 0; b < 64; b++) buckets[b] += o.buckets[b];
        count += o.count;
        sum += o.sum;
        max = Math.max(max, o.max);
    }

    public long count() { return count; }
    public long max() { return max; }
    public double mean() { return count == 0 ? 0 : (double) sum / count; }

    /** Non-empty buckets as "lo-hi" -> count, in order. */
    public Map<String, Long> buckets() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int b = 0; b < 64; b++) {
            if (buckets[b] == 0) continue;
            long lo = b == 0 ? 0 : 1L << (b - 1), hi = b == 0 ? 0 : (1L << b) - 1;
            m.put(lo == hi ? Long.toString(lo) : lo + "-" + hi, buckets[b]);
        }
        return m;
    }
}
