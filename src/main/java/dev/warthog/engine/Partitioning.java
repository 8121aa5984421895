package dev.warthog.engine;

import dev.warthog.data.RowSubset;

import java.util.SplittableRandom;

/** How the rows are dealt to workers; every part is a view (a range or an index array), never a copy of the data. */
public enum Partitioning {
    /** Worker i gets the i-th of W contiguous ranges. */
    CONTIGUOUS("contiguous"),
    /** Worker i gets rows i, i+W, i+2W, ... */
    STRIDED("strided"),
    /** Rows are shuffled (from the seed) and then cut into W contiguous pieces. */
    RANDOM("random");

    private final String cliName;

    Partitioning(String n) { this.cliName = n; }

    public String cliName() { return cliName; }

    public static Partitioning parse(String s) {
        for (Partitioning p : values()) if (p.cliName.equals(s)) return p;
        throw new IllegalArgumentException("unknown partitioning '" + s + "': expected contiguous, strided or random");
    }

    /** Splits {@code all} into {@code workers} parts of near-equal size. */
    public RowSubset[] split(RowSubset all, int workers, long seed) {
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1");
        int n = all.size();
        if (this == CONTIGUOUS || workers == 1) return all.splitContiguous(workers);
        int[] ids = new int[n];
        for (int k = 0; k < n; k++) ids[k] = all.rowId(k);
        RowSubset[] out = new RowSubset[workers];
        if (this == STRIDED) {
            for (int w = 0; w < workers; w++) {
                int[] part = new int[(n - w + workers - 1) / workers];
                for (int k = w, t = 0; k < n; k += workers) part[t++] = ids[k];
                out[w] = RowSubset.of(all.data(), part);
            }
            return out;
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        for (int k = n - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = ids[k]; ids[k] = ids[j]; ids[j] = t;
        }
        for (int w = 0; w < workers; w++) {
            int a = (int) ((long) n * w / workers), b = (int) ((long) n * (w + 1) / workers);
            out[w] = RowSubset.of(all.data(), java.util.Arrays.copyOfRange(ids, a, b));
        }
        return out;
    }
}
