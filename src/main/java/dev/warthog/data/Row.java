package dev.warthog.data;

/**
 * A reusable, mutable view of one row: the stored values {@code values[offset .. offset+nnz)}
 * and, for sparse rows, their column indices {@code indices[offset .. offset+nnz)}; for dense
 * rows {@code indices} is null and the k-th value belongs to column k.
 *
 * <p>A view is thread-confined: each worker keeps its own and re-points it with
 * {@link Dataset#row(int, Row)}; the arrays it points into are shared and read-only.
 */
public final class Row {
    public double[] values;
    public int[] indices;
    public int offset;
    public int nnz;
    public double label;
    /** The row's index in its dataset. */
    public int index;

    public boolean isSparse() { return indices != null; }

    /**
     * Points this view (whose arrays are set) at row {@code index} of a resolved order
     * ({@link RowSubset#resolve}: its offset, length and label): what {@link Dataset#row} does,
     * without the row pointer lookups.
     */
    public Row point(int index, int offset, int nnz, double label) {
        this.index = index;
        this.offset = offset;
        this.nnz = nnz;
        this.label = label;
        return this;
    }

    /** Column of the k-th stored value (0 <= k < nnz). */
    public int column(int k) { return indices == null ? k : indices[offset + k]; }

    /** The k-th stored value (0 <= k < nnz). */
    public double value(int k) { return values[offset + k]; }

    /** Squared Euclidean norm of the row. */
    public double squaredNorm() {
        double s = 0;
        for (int k = offset, e = offset + nnz; k < e; k++) s += values[k] * values[k];
        return s;
    }
}
