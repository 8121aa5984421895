package dev.warthog.io;

import dev.warthog.data.DataFormatException;
import dev.warthog.data.Dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads LIBSVM / SVMlight text into a sparse (CSR) or dense {@link Dataset}.
 *
 * <p>Format, one row per line: {@code label index:value index:value ... [# comment]}.
 * Indices are 1-based and become 0-based columns; they must be strictly increasing within a
 * line. An optional {@code qid:N} right after the label is accepted and ignored. Spaces and
 * tabs separate tokens; LF and CRLF line ends are accepted; blank lines and lines holding
 * only a comment are skipped. Explicit zero values are kept as stored entries. The number
 * of columns is the largest index seen, or the count given with
 * {@link Builder#features(int)} (an index beyond it is an error).
 *
 * <p>Strict: anything else (a non-numeric, NaN or infinite label or value, index 0, a
 * negative or non-integer index, indices out of order, a missing {@code ':'} or value, a
 * line starting with a feature, a file without data rows) fails the whole read with a
 * {@link DataFormatException} naming the file, the 1-based line and byte column, and what
 * was expected. No partial data set is returned. A missing or unreadable file gives an
 * {@link UncheckedIOException} naming it.
 *
 * <p>Memory: the result holds 12 bytes per non-zero (a {@code double} value and an
 * {@code int} column) plus 12 bytes per row (row pointer and label); while reading, the
 * growing arrays need up to about 1.5 times that, and a final trim copies them once. The
 * file is read in blocks ({@link Builder#bufferSize(int)}, 1 MiB by default) and parsed as
 * bytes, with no per-line objects.
 *
 * <pre>{@code
 * Dataset d = LibsvmReader.read(Path.of("heart_scale"));
 * Dataset e = LibsvmReader.builder().features(13).bias(1.0).dense(true).read(Path.of("heart_scale"));
 * }</pre>
 */
public final class LibsvmReader {
    /** Default read block size. */
    public static final int DEFAULT_BUFFER_SIZE = 1 << 20;

    private LibsvmReader() {}

    /** Reads a LIBSVM file with default options (sparse, columns = largest index). */
    public static Dataset read(Path file) {
        return builder().read(file);
    }

    /** Reads LIBSVM text from a stream (not closed); {@code name} is used in messages. */
    public static Dataset read(InputStream in, String name) {
        return builder().read(in, name);
    }

    /** Reads a LIBSVM file into dense row-major storage. */
    public static Dataset readDense(Path file) {
        return builder().dense(true).read(file);
    }

    /** Options; a builder may be reused, each read sees the options set at that time. */
    public static Builder builder() {
        return new Builder();
    }

    /** Reading options. */
    public static final class Builder extends ReaderOptions<Builder> {
        private int features = -1;
        private double bias = Double.NaN;
        private boolean dense;

        private Builder() {}

        /**
         * The number of features d: the result has d columns (d + 1 with a bias), and an
         * index above d is an error. By default the number of columns is the largest index
         * present.
         */
        public Builder features(int d) {
            if (d < 0 || d == Integer.MAX_VALUE) throw new IllegalArgumentException("features must be in [0, 2^31-2], got " + d);
            this.features = d;
            return this;
        }

        /**
         * Appends a constant feature with this value to every row, as the last column (the
         * intercept, LIBLINEAR's {@code -B}).
         */
        public Builder bias(double value) {
            if (!Double.isFinite(value)) throw new IllegalArgumentException("bias must be finite, got " + value);
            this.bias = value;
            return this;
        }

        /** Return dense row-major storage instead of CSR (needs rows * cols < 2^31). */
        public Builder dense(boolean dense) {
            this.dense = dense;
            return this;
        }

        @Override Dataset parse(InputStream in, String name) throws IOException {
            return new Parser(this, name).run(in);
        }
    }

    /** One read: the growing CSR arrays and the position for messages. */
    private static final class Parser {
        private final String name;
        private final int features;
        private final boolean hasBias;
        private final double bias;
        private final boolean dense;
        private final int bufferSize;
        private final Decimal dec = new Decimal();

        private byte[] b;          // current block (for messages)
        private long line;
        private int lineStart;

        private double[] y = new double[1 << 10];
        private int[] rowPtr = new int[(1 << 10) + 1];
        private int rows;
        private int[] idx = new int[1 << 12];
        private double[] val = new double[1 << 12];
        private int nnz;

        Parser(Builder o, String name) {
            this.name = name;
            this.features = o.features;
            this.hasBias = !Double.isNaN(o.bias);
            this.bias = o.bias;
            this.dense = o.dense;
            this.bufferSize = o.bufferSize;
        }

        Dataset run(InputStream in) throws IOException {
            ChunkReader cr = new ChunkReader(in, bufferSize);
            // a feature index may not exceed this: the given count, or what leaves room for the bias column
            final int maxIndex = features >= 0 ? features : Integer.MAX_VALUE - 1 - (hasBias ? 1 : 0);
            int maxSeen = 0;
            while (cr.next()) {
                final byte[] b = cr.buf;
                this.b = b;
                int p = cr.start;
                final int end = cr.end;
                while (p < end) {
                    line++;
                    lineStart = p;
                    int c = b[p];
                    while (c == ' ' || c == '\t') c = b[++p];
                    if (c == '\n') { p++; continue; }
                    if (c == '#') { p = skipLine(b, p); continue; }
                    if (c == '\r' && b[p + 1] == '\n') { p += 2; continue; }

                    // label
                    double label = dec.parse(b, p);
                    if (!isDelimiter(b[dec.end]) || !(Math.abs(label) <= Double.MAX_VALUE)) badLabel(p);
                    p = dec.end;
                    if (rows == y.length) growRows();
                    y[rows] = label;

                    int prev = 0;
                    boolean afterLabel = true;
                    for (;;) {
                        c = b[p];
                        while (c == ' ' || c == '\t') c = b[++p];
                        if (c == '\n') { p++; break; }
                        if (c == '#') { p = skipLine(b, p); break; }
                        if (c == '\r') {
                            if (b[p + 1] == '\n') { p += 2; break; }
                            throw error(p, "expected a line end after a carriage return");
                        }
                        if (c < ' ' || c > '~') throw error(p, "unexpected " + describe(c));
                        final int ts = p;
                        int j = 0, d;
                        while ((d = c - '0') >= 0 && d <= 9) {
                            if (j > (Integer.MAX_VALUE - d) / 10) throw error(ts, "feature index " + quote(ts, indexEnd(ts)) + " is too large");
                            j = j * 10 + d;
                            c = b[++p];
                        }
                        if (c != ':' || p == ts) {
                            if (afterLabel && isQid(b, ts)) { p = skipQid(b, ts); afterLabel = false; continue; }
                            badIndex(ts, p);
                        }
                        afterLabel = false;
                        if (j == 0) throw error(ts, "expected a feature index >= 1, found 0");
                        if (j <= prev) throw error(ts, "expected feature indices in increasing order, found " + j + " after " + prev);
                        if (j > maxIndex) {
                            throw error(ts, features >= 0
                                    ? "feature index " + j + " exceeds the given number of features " + features
                                    : "feature index " + j + " is too large");
                        }
                        prev = j;
                        final int vs = ++p;
                        double v = dec.parse(b, vs);
                        if (!isDelimiter(b[dec.end]) || !(Math.abs(v) <= Double.MAX_VALUE)) badValue(vs, j);
                        p = dec.end;
                        if (nnz == idx.length) growNnz();
                        idx[nnz] = j - 1;
                        val[nnz++] = v;
                    }
                    if (prev > maxSeen) maxSeen = prev;
                    if (hasBias) {
                        if (nnz == idx.length) growNnz();
                        idx[nnz] = -1;     // the column is known only at the end
                        val[nnz++] = bias;
                    }
                    rowPtr[++rows] = nnz;
                }
            }
            this.b = null;
            if (rows == 0) {
                throw new DataFormatException(name, Math.max(line, 1), 0, line == 0
                        ? "expected at least one data row, found an empty file"
                        : "expected at least one data row, found only blank or comment lines");
            }
            int cols = features >= 0 ? features : maxSeen;
            if (hasBias) {
                for (int i = 1; i <= rows; i++) idx[rowPtr[i] - 1] = cols;
                cols++;
            }
            double[] labels = y.length == rows ? y : Arrays.copyOf(y, rows);
            int[] ptr = rowPtr.length == rows + 1 ? rowPtr : Arrays.copyOf(rowPtr, rows + 1);
            y = null;
            rowPtr = null;
            if (dense) {
                if ((long) rows * cols > Integer.MAX_VALUE - 16)
                    throw new DataFormatException(name + ": " + rows + " x " + cols + " is too large for dense storage; read it sparse");
                double[] x = new double[rows * cols];
                for (int i = 0; i < rows; i++) {
                    int base = i * cols;
                    for (int k = ptr[i]; k < ptr[i + 1]; k++) x[base + idx[k]] = val[k];
                }
                return Dataset.dense(rows, cols, x, labels, name);
            }
            int[] indices = idx.length == nnz ? idx : Arrays.copyOf(idx, nnz);
            idx = null;
            double[] values = val.length == nnz ? val : Arrays.copyOf(val, nnz);
            val = null;
            return Dataset.sparse(rows, cols, ptr, indices, values, labels, name);
        }

        private void growRows() {
            if (rows >= Integer.MAX_VALUE - 17)
                throw new DataFormatException(name, line, 0, "more than 2^31 rows; not supported");
            int n = newCapacity(y.length);
            y = Arrays.copyOf(y, n);
            rowPtr = Arrays.copyOf(rowPtr, n + 1);
        }

        private void growNnz() {
            if (nnz >= Integer.MAX_VALUE - 16)
                throw new DataFormatException(name, line, 0, "more than 2^31 non-zeros; not supported");
            int n = newCapacity(idx.length);
            idx = Arrays.copyOf(idx, n);
            val = Arrays.copyOf(val, n);
        }

        private static int newCapacity(int n) {
            return (int) Math.min(Integer.MAX_VALUE - 16L, n + (n >> 1) + 16L);
        }

        private static boolean isDelimiter(int c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#';
        }

        private static int skipLine(byte[] b, int p) {
            while (b[p] != '\n') p++;
            return p + 1;
        }

        private static boolean isQid(byte[] b, int p) {
            return b[p] == 'q' && b[p + 1] == 'i' && b[p + 2] == 'd' && b[p + 3] == ':';
        }

        private int skipQid(byte[] b, int ts) {
            int p = ts + 4;
            int s = p;
            while (b[p] >= '0' && b[p] <= '9') p++;
            if (p == s || !isDelimiter(b[p])) throw error(s, "expected an integer query id after \"qid:\", found " + quote(s));
            return p;
        }

        private int indexEnd(int p) {
            while (!isDelimiter(b[p]) && b[p] != ':') p++;
            return p;
        }

        /** A control or non-ASCII byte inside the token at p is reported as such. */
        private void badByte(int p) {
            for (; !isDelimiter(b[p]); p++) {
                if (b[p] < ' ' || b[p] > '~') throw error(p, "unexpected " + describe(b[p]));
            }
        }

        private void badLabel(int p) {
            badByte(p);
            String t = token(p);
            if (t.indexOf(':') >= 0 && !t.startsWith("qid:"))
                throw error(p, "expected a label before the first feature, found " + quote(p));
            throw error(p, nonNumeric(t) ? "expected a numeric label, found " + quote(p)
                                         : "expected a finite label, found " + quote(p));
        }

        private void badValue(int vs, int j) {
            int c = b[vs];
            if (isDelimiter(c)) throw error(vs, "expected a value after \"" + j + ":\"");
            badByte(vs);
            String t = token(vs);
            throw error(vs, nonNumeric(t) ? "expected a numeric value for feature " + j + ", found " + quote(vs)
                                          : "expected a finite value for feature " + j + ", found " + quote(vs));
        }

        private void badIndex(int ts, int p) {
            int c = b[ts];
            int e = ts;
            while (!isDelimiter(b[e]) && b[e] != ':') e++;
            if (p == ts) {
                if ((c == '-' || c == '+') && b[ts + 1] >= '0' && b[ts + 1] <= '9' && b[e] == ':')
                    throw error(ts, "expected a feature index >= 1, found " + quote(ts, e));
                throw error(ts, "expected index:value, found " + quote(ts));
            }
            e = p;
            while (!isDelimiter(b[e]) && b[e] != ':') e++;
            if (b[e] == ':') throw error(ts, "expected an integer feature index, found " + quote(ts, e));
            throw error(p, "expected ':' after feature index " + quote(ts, e));
        }

        /** True when the token is not a (possibly overflowing) number: not one of NaN/Inf. */
        private static boolean nonNumeric(String t) {
            String u = t.toLowerCase(java.util.Locale.ROOT);
            if (u.startsWith("+") || u.startsWith("-")) u = u.substring(1);
            if (u.equals("nan") || u.equals("inf") || u.equals("infinity")) return false;
            return !looksNumeric(u);
        }

        private String token(int p) {
            int e = p;
            while (!isDelimiter(b[e])) e++;
            return new String(b, p, e - p, StandardCharsets.ISO_8859_1);
        }

        private String quote(int p) {
            return quoteToken(token(p));
        }

        private String quote(int p, int e) {
            return quoteToken(new String(b, p, e - p, StandardCharsets.ISO_8859_1));
        }

        private DataFormatException error(int p, String what) {
            return new DataFormatException(name, line, p - lineStart + 1, what);
        }
    }

    /** Lower-case, unsigned decimal syntax (error path only, so a regex is fine). */
    static boolean looksNumeric(String u) {
        return u.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?");
    }

    static String quoteToken(String t) {
        if (t.length() > 40) t = t.substring(0, 37) + "...";
        return "\"" + t + "\"";
    }

    static String describe(int c) {
        return c == '\r' ? "carriage return" : String.format("byte 0x%02X", c & 0xFF);
    }
}
