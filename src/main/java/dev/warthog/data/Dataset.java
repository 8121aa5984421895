package dev.warthog.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A labelled design matrix X (n rows, d columns) with its label vector y, stored either
 * dense row-major or sparse CSR, behind one row view ({@link Row}) so a solver is written
 * once for both.
 *
 * <p>Storage (bytes per stored value): dense keeps {@code double} values only, 8 bytes
 * per entry; sparse keeps a {@code double} value and an {@code int} column index, 12 bytes
 * per non-zero, plus a 4-byte row pointer and an 8-byte label per row. Values are doubles
 * so that data read from text round-trips exactly and reference optima are reproduced to
 * the last digit. A dense matrix holds at most 2^31-1 entries, a sparse one at most 2^31-1
 * non-zeros (int offsets keep the row view one array load away).
 *
 * <p>Instances are immutable after construction and safe to share between threads.
 * Partitions of the rows are views ({@link RowSubset}), never copies.
 */
public final class Dataset {
    private final int rows;
    private final int cols;
    private final double[] values;   // dense: rows*cols row-major; sparse: non-zeros
    private final int[] indices;     // sparse only: 0-based column of each non-zero; null if dense
    private final int[] rowPtr;      // sparse only: rows+1 offsets into values; null if dense
    private final double[] labels;
    private final String source;

    private Dataset(int rows, int cols, double[] values, int[] indices, int[] rowPtr,
                    double[] labels, String source) {
        this.rows = rows;
        this.cols = cols;
        this.values = values;
        this.indices = indices;
        this.rowPtr = rowPtr;
        this.labels = labels;
        this.source = source;
    }

    /** A dense dataset over row-major {@code x} (length rows*cols); the arrays are not copied. */
    public static Dataset dense(int rows, int cols, double[] x, double[] y, String source) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        if ((long) rows * cols != x.length)
            throw new IllegalArgumentException("dense matrix needs " + ((long) rows * cols) + " values, got " + x.length);
        if (y.length != rows) throw new IllegalArgumentException("labels: expected " + rows + ", got " + y.length);
        return new Dataset(rows, cols, x, null, null, y, source);
    }

    /**
     * A sparse CSR dataset; the arrays are not copied. Column indices of each row must be
     * strictly increasing and in [0, cols).
     */
    public static Dataset sparse(int rows, int cols, int[] rowPtr, int[] indices, double[] values,
                                 double[] y, String source) {
        if (rowPtr.length != rows + 1) throw new IllegalArgumentException("rowPtr: expected " + (rows + 1) + " entries, got " + rowPtr.length);
        if (y.length != rows) throw new IllegalArgumentException("labels: expected " + rows + ", got " + y.length);
        int nnz = rowPtr[rows];
        if (rowPtr[0] != 0 || indices.length < nnz || values.length < nnz)
            throw new IllegalArgumentException("inconsistent CSR arrays");
        for (int i = 0; i < rows; i++) {
            int s = rowPtr[i], e = rowPtr[i + 1];
            if (e < s) throw new IllegalArgumentException("rowPtr decreases at row " + i);
            for (int k = s; k < e; k++) {
                int j = indices[k];
                if (j < 0 || j >= cols || (k > s && j <= indices[k - 1]))
                    throw new IllegalArgumentException("row " + i + ": column indices must be strictly increasing in [0," + cols + ")");
            }
        }
        return new Dataset(rows, cols, values, indices, rowPtr, y, source);
    }

    public int rows() { return rows; }
    public int cols() { return cols; }
    public boolean isSparse() { return indices != null; }
    /** Where the data came from (a file name or a generator description), for messages. */
    public String source() { return source; }

    /** Stored entries: non-zeros if sparse, rows*cols if dense. */
    public long nnz() { return isSparse() ? rowPtr[rows] : (long) rows * cols; }

    public double label(int i) { return labels[i]; }
    /** The label array itself (not a copy): do not modify. */
    public double[] labels() { return labels; }

    /** Raw storage, for kernels and writers. Do not modify. */
    public double[] values() { return values; }
    /** Raw CSR column indices, or null when dense. Do not modify. */
    public int[] indices() { return indices; }
    /** Raw CSR row pointers, or null when dense. Do not modify. */
    public int[] rowPtr() { return rowPtr; }

    /** Offset of row i's first stored value in {@link #values()}. */
    public int rowStart(int i) { return isSparse() ? rowPtr[i] : i * cols; }
    /** Number of stored values of row i. */
    public int rowNnz(int i) { return isSparse() ? rowPtr[i + 1] - rowPtr[i] : cols; }

    /** Points the reusable view {@code r} at row i and returns it. */
    public Row row(int i, Row r) {
        r.values = values;
        r.indices = indices;
        r.offset = rowStart(i);
        r.nnz = rowNnz(i);
        r.label = labels[i];
        r.index = i;
        return r;
    }

    /** A fresh view of row i. */
    public Row row(int i) { return row(i, new Row()); }

    /** Bytes the matrix and labels occupy in memory (array payloads). */
    public long bytes() {
        long b = 8L * values.length + 8L * labels.length;
        if (isSparse()) b += 4L * indices.length + 4L * rowPtr.length;
        return b;
    }

    /** The same matrix with other labels (the matrix arrays are shared, not copied). */
    public Dataset withLabels(double[] y) {
        if (y.length != rows) throw new IllegalArgumentException("labels: expected " + rows + ", got " + y.length);
        return new Dataset(rows, cols, values, indices, rowPtr, y, source);
    }

    /** All rows as a view. */
    public RowSubset all() { return RowSubset.range(this, 0, rows); }

    /** Dense copy of this dataset (for tests and small data). */
    public Dataset toDense() {
        if (!isSparse()) return this;
        if ((long) rows * cols > Integer.MAX_VALUE) throw new IllegalStateException("too large to densify");
        double[] x = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++) x[i * cols + indices[k]] = values[k];
        return new Dataset(rows, cols, x, null, null, labels, source);
    }

    /** Sparse (CSR) copy of this dataset, dropping explicit zeros. */
    public Dataset toSparse() {
        if (isSparse()) return this;
        int nnz = 0;
        for (double v : values) if (v != 0) nnz++;
        int[] ptr = new int[rows + 1];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = values[i * cols + j];
                if (v != 0) { idx[k] = j; val[k++] = v; }
            }
            ptr[i + 1] = k;
        }
        return new Dataset(rows, cols, val, idx, ptr, labels, source);
    }

    /**
     * A copy with one more column holding {@code value} in every row (the intercept of
     * {@code --bias}); the weight of that column is the bias term, and it is penalised like
     * every other weight (as LIBLINEAR does).
     */
    public Dataset withBias(double value) {
        if (isSparse()) {
            int[] ptr = new int[rows + 1];
            int[] idx = new int[indices.length + rows];
            double[] val = new double[values.length + rows];
            int k = 0;
            for (int i = 0; i < rows; i++) {
                for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) { idx[k] = indices[p]; val[k++] = values[p]; }
                idx[k] = cols; val[k++] = value;
                ptr[i + 1] = k;
            }
            return new Dataset(rows, cols + 1, val, idx, ptr, labels, source);
        }
        double[] x = new double[Math.multiplyExact(rows, cols + 1)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(values, i * cols, x, i * (cols + 1), cols);
            x[i * (cols + 1) + cols] = value;
        }
        return new Dataset(rows, cols + 1, x, null, null, labels, source);
    }

    /** The same data seen with {@code d >= cols} columns (e.g. to match a test set to a model). */
    public Dataset withCols(int d) {
        if (d == cols) return this;
        if (d < cols) throw new IllegalArgumentException(source + ": has " + cols + " features, model has " + d);
        if (isSparse()) return new Dataset(rows, d, values, indices, rowPtr, labels, source);
        double[] x = new double[Math.multiplyExact(rows, d)];
        for (int i = 0; i < rows; i++) System.arraycopy(values, i * cols, x, i * d, cols);
        return new Dataset(rows, d, x, null, null, labels, source);
    }

    /**
     * A copy of rows [from, to) as a new dataset (for cutting generated data into training
     * and test sets; worker partitions use {@link RowSubset} views instead).
     */
    public Dataset copyRows(int from, int to) {
        if (from < 0 || to > rows || from > to) throw new IndexOutOfBoundsException("rows [" + from + "," + to + ") of " + rows);
        double[] y = Arrays.copyOfRange(labels, from, to);
        String src = source + "[" + from + ":" + to + "]";
        if (!isSparse())
            return new Dataset(to - from, cols, Arrays.copyOfRange(values, from * cols, to * cols), null, null, y, src);
        int s = rowPtr[from], e = rowPtr[to];
        int[] ptr = new int[to - from + 1];
        for (int i = from; i <= to; i++) ptr[i - from] = rowPtr[i] - s;
        return new Dataset(to - from, cols, Arrays.copyOfRange(values, s, e), Arrays.copyOfRange(indices, s, e), ptr, y, src);
    }

    /** Distinct label values, sorted ascending. */
    public double[] distinctLabels() {
        return Arrays.stream(labels).distinct().sorted().toArray();
    }

    @Override public String toString() {
        return (isSparse() ? "sparse " : "dense ") + rows + "x" + cols + " (" + nnz() + " stored) from " + Objects.toString(source);
    }
}
