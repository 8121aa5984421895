package dev.warthog.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A subset of a dataset's rows, as a view: either a contiguous range or an index array.
 * Partitions and shards of the data are these, never copies of the matrix.
 */
public final class RowSubset {
    private final Dataset data;
    private final int from;        // range form
    private final int size;
    private final int[] rowIds;    // index-array form, or null

    private RowSubset(Dataset data, int from, int size, int[] rowIds) {
        this.data = data;
        this.from = from;
        this.size = size;
        this.rowIds = rowIds;
    }

    /** Rows [from, to). */
    public static RowSubset range(Dataset data, int from, int to) {
        if (from < 0 || to > data.rows() || from > to)
            throw new IndexOutOfBoundsException("rows [" + from + "," + to + ") of " + data.rows());
        return new RowSubset(data, from, to - from, null);
    }

    /** The given rows, in the given order (the array is kept, not copied). */
    public static RowSubset of(Dataset data, int[] rows) {
        for (int r : rows)
            if (r < 0 || r >= data.rows()) throw new IndexOutOfBoundsException("row " + r + " of " + data.rows());
        return new RowSubset(data, 0, rows.length, rows);
    }

    public Dataset data() { return data; }
    public int size() { return size; }

    /** Dataset row index of the k-th member. */
    public int rowId(int k) { return rowIds == null ? from + k : rowIds[k]; }

    /** Points {@code r} at the k-th member. */
    public Row row(int k, Row r) { return data.row(rowId(k), r); }

    /**
     * Resolves the members {@code order[0..m)} (positions in this subset) into their value
     * offsets, lengths and labels, in that order. The loop's loads are independent of each
     * other, so the memory system overlaps their cache misses; a step loop that then walks a
     * random order through these arrays has no dependent miss chain (row id, then row pointer,
     * then the row) in front of every row.
     */
    public void resolve(int[] order, int m, int[] offsets, int[] nnz, double[] labels) {
        int[] ptr = data.rowPtr();
        double[] y = data.labels();
        int cols = data.cols();
        for (int k = 0; k < m; k++) {
            int i = rowId(order[k]);
            if (ptr != null) {
                int s = ptr[i];
                offsets[k] = s;
                nnz[k] = ptr[i + 1] - s;
            } else {
                offsets[k] = i * cols;
                nnz[k] = cols;
            }
            labels[k] = y[i];
        }
    }

    /** Splits into {@code parts} contiguous ranges of near-equal size (views). */
    public RowSubset[] splitContiguous(int parts) {
        RowSubset[] out = new RowSubset[parts];
        for (int p = 0; p < parts; p++) {
            int a = (int) ((long) size * p / parts), b = (int) ((long) size * (p + 1) / parts);
            out[p] = rowIds == null ? new RowSubset(data, from + a, b - a, null)
                                    : new RowSubset(data, 0, b - a, Arrays.copyOfRange(rowIds, a, b));
        }
        return out;
    }

    /** A random train/test split of this subset, reproducible from {@code seed}. */
    public RowSubset[] randomSplit(double testFraction, long seed) {
        int[] perm = new int[size];
        for (int k = 0; k < size; k++) perm[k] = rowId(k);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = size - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = perm[k]; perm[k] = perm[j]; perm[j] = t;
        }
        int nTest = (int) Math.round(size * testFraction);
        int[] test = Arrays.copyOfRange(perm, 0, nTest);
        int[] train = Arrays.copyOfRange(perm, nTest, size);
        Arrays.sort(test);
        Arrays.sort(train);
        return new RowSubset[] { new RowSubset(data, 0, train.length, train), new RowSubset(data, 0, test.length, test) };
    }
}
