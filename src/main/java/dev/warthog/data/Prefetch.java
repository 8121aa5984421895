package dev.warthog.data;

/**
 * Software prefetch of sparse rows by plain loads. Java has no prefetch instruction, but loads
 * that depend on nothing issue together: touching the first and last element of the next few
 * rows before working on them lets their cache misses from memory overlap, instead of coming
 * one row at a time as the loop over a row's non-zeros reaches them (the out-of-order window
 * of a core covers about one row's step). The loaded values go into a sum the caller keeps in
 * a field, so the compiler cannot drop the loads.
 */
public final class Prefetch {
    private Prefetch() {}

    /** Rows touched together by {@link #block}: about as many misses as a core keeps in flight. */
    public static final int BLOCK = 16;

    /**
     * For a per-sample loop over resolved rows (step k reads row k): at a step that starts a
     * block of {@link #BLOCK}, touches the block's rows; otherwise, or on dense rows
     * ({@code indices} null, read in order, which the hardware prefetches), does nothing.
     */
    public static double block(double[] values, int[] indices, int[] offsets, int[] nnz, int k) {
        if ((k & (BLOCK - 1)) != 0 || indices == null) return 0;
        return rows(values, indices, offsets, nnz, k, Math.min(k + BLOCK, offsets.length));
    }

    /**
     * Loads the first and last value and index of rows k in [from, to) (row k: offsets[k],
     * nnz[k] entries of values/indices); returns a value to keep, meaningless otherwise.
     */
    public static double rows(double[] values, int[] indices, int[] offsets, int[] nnz, int from, int to) {
        double sx = 0;
        int si = 0;
        for (int k = from; k < to; k++) {
            int o = offsets[k], n = nnz[k];
            if (n == 0) continue;
            int e = o + n - 1;
            sx += values[o] + values[e];
            si += indices[o] + indices[e];
        }
        return sx + si;
    }
}
