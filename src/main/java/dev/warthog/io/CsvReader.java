package dev.warthog.io;

import dev.warthog.data.DataFormatException;
import dev.warthog.data.Dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads dense numeric CSV into a dense {@link Dataset}: one column is the label, the others
 * are the features, in file order.
 *
 * <p>Defaults: comma separator, header auto-detected (the first line is a header when any of
 * its fields is not a number), label in the first column. Fields may be padded with spaces;
 * header names may be double-quoted ({@code ""} inside quotes is a quote); data fields are
 * plain numbers in the syntax {@link LibsvmReader} accepts. Blank lines are skipped; LF and
 * CRLF line ends are accepted.
 *
 * <p>Strict like {@link LibsvmReader}: a row with a different number of fields than the
 * first row, an empty field, a non-numeric, NaN or infinite value, a label column name not
 * in the header (or given without a header), a label position out of range, or a file with
 * no data rows fails the read with a {@link DataFormatException} naming file, line and
 * column. A missing file gives an {@link UncheckedIOException} naming it.
 *
 * <pre>{@code
 * Dataset d = CsvReader.builder().labelColumn("target").read(Path.of("wine.csv"));
 * Dataset e = CsvReader.builder().separator(';').header(CsvReader.Header.ABSENT).labelColumn(-1).read(p);
 * }</pre>
 */
public final class CsvReader {
    private CsvReader() {}

    /** Whether the first line is a header. */
    public enum Header {
        /** A header when any field of the first line is not a number. */
        AUTO,
        /** The first line is a header. */
        PRESENT,
        /** The first line is data. */
        ABSENT
    }

    /** Reads a CSV file with default options. */
    public static Dataset read(Path file) {
        return builder().read(file);
    }

    /** Reads CSV from a stream (not closed) with default options; {@code name} is used in messages. */
    public static Dataset read(InputStream in, String name) {
        return builder().read(in, name);
    }

    /** Options; a builder may be reused. */
    public static Builder builder() {
        return new Builder();
    }

    /** Reading options. */
    public static final class Builder extends ReaderOptions<Builder> {
        private byte separator = ',';
        private Header header = Header.AUTO;
        private int labelIndex = 0;
        private String labelName;

        private Builder() {}

        /** Field separator, an ASCII character other than a quote, digit, sign, point, 'e' or line end. */
        public Builder separator(char c) {
            if (c > 127 || c == '"' || c == '\n' || c == '\r' || (c >= '0' && c <= '9') || c == '.'
                    || c == '-' || c == '+' || c == 'e' || c == 'E' || c == ' ')
                throw new IllegalArgumentException("unsupported separator '" + c + "'");
            this.separator = (byte) c;
            return this;
        }

        /** Header handling, {@link Header#AUTO} by default. */
        public Builder header(Header h) {
            this.header = java.util.Objects.requireNonNull(h);
            return this;
        }

        /** The label column by 0-based position; negative counts from the end (-1 = last). Default 0. */
        public Builder labelColumn(int position) {
            this.labelIndex = position;
            this.labelName = null;
            return this;
        }

        /** The label column by header name (the file needs a header). */
        public Builder labelColumn(String name) {
            this.labelName = java.util.Objects.requireNonNull(name);
            return this;
        }

        @Override Dataset parse(InputStream in, String name) throws IOException {
            return new Parser(this, name).run(in);
        }
    }

    private static final class Parser {
        private final String name;
        private final byte sep;
        private final Header header;
        private final int labelIndex;
        private final String labelName;
        private final int bufferSize;
        private final Decimal dec = new Decimal();

        private byte[] b;
        private long line;
        private int lineStart;

        private int fields = -1;       // per row, fixed by the first line
        private int labelCol;
        private double[] x = new double[1 << 12];
        private int xn;
        private double[] y = new double[1 << 10];
        private int rows;

        Parser(Builder o, String name) {
            this.name = name;
            this.sep = o.separator;
            this.header = o.header;
            this.labelIndex = o.labelIndex;
            this.labelName = o.labelName;
            this.bufferSize = o.bufferSize;
        }

        private boolean isPad(int c) {
            return (c == ' ' || c == '\t') && c != sep;
        }

        Dataset run(InputStream in) throws IOException {
            ChunkReader cr = new ChunkReader(in, bufferSize);
            long headerLine = 0;
            while (cr.next()) {
                final byte[] b = cr.buf;
                this.b = b;
                int p = cr.start;
                final int end = cr.end;
                while (p < end) {
                    line++;
                    lineStart = p;
                    int q = p;
                    while (isPad(b[q])) q++;
                    if (b[q] == '\n') { p = q + 1; continue; }
                    if (b[q] == '\r' && b[q + 1] == '\n') { p = q + 2; continue; }
                    if (fields < 0) {
                        List<String> first = splitText(p);
                        boolean isHeader = switch (header) {
                            case PRESENT -> true;
                            case ABSENT -> false;
                            case AUTO -> first.stream().anyMatch(f -> !isNumber(f));
                        };
                        fields = first.size();
                        labelCol = resolveLabel(isHeader ? first : null);
                        if (isHeader) {
                            headerLine = line;
                            p = skipLine(b, p);
                            continue;
                        }
                    }
                    p = parseRow(b, p);
                }
            }
            this.b = null;
            if (rows == 0) {
                if (line == 0) throw new DataFormatException(name, 1, 0, "expected at least one data row, found an empty file");
                throw new DataFormatException(name, line, 0, headerLine > 0
                        ? "expected at least one data row after the header, found none"
                        : "expected at least one data row, found only blank lines");
            }
            int cols = fields - 1;
            double[] values = xn == x.length ? x : Arrays.copyOf(x, xn);
            double[] labels = y.length == rows ? y : Arrays.copyOf(y, rows);
            return Dataset.dense(rows, cols, values, labels, name);
        }

        /** Parses one data line starting at p; returns the start of the next line. */
        private int parseRow(byte[] b, int p) {
            if (rows == y.length) y = Arrays.copyOf(y, grow(y.length));
            final int cols = fields - 1;
            if (xn > x.length - cols) {
                if ((long) (rows + 1) * cols > Integer.MAX_VALUE - 16)
                    throw error(p, "more than 2^31 values; too large for dense storage");
                x = Arrays.copyOf(x, (int) Math.max(xn + (long) cols, Math.min(Integer.MAX_VALUE - 16L, grow(x.length))));
            }
            int f = 0;
            for (;;) {
                final int sepAt = p - 1;       // the separator before this field (when f > 0)
                int c = b[p];
                while (isPad(c)) c = b[++p];
                final int fs = p;
                double v = dec.parse(b, p);
                int e = dec.end;
                c = b[e];
                while (isPad(c)) c = b[++e];
                boolean lineEnd = c == '\n' || (c == '\r' && b[e + 1] == '\n');
                if (f == fields) tooMany(sepAt, f);
                if (c != sep && !lineEnd || !(Math.abs(v) <= Double.MAX_VALUE)) badField(fs, f);
                if (f == labelCol) y[rows] = v;
                else x[xn++] = v;
                f++;
                if (lineEnd) {
                    if (f < fields) throw error(e, "expected " + fields + " fields, found " + f);
                    rows++;
                    return e + (c == '\r' ? 2 : 1);
                }
                p = e + 1;
            }
        }

        /** A row with more fields than the first: name the column of the first extra separator. */
        private void tooMany(int sepPos, int f) {
            int n = f + 1;
            for (int p = sepPos + 1; b[p] != '\n'; p++) if (b[p] == sep) n++;
            throw error(sepPos, "expected " + fields + " fields, found " + n);
        }

        private void badField(int fs, int f) {
            int e = fs;
            while (b[e] != sep && b[e] != '\n' && b[e] != '\r') e++;
            while (e > fs && isPad(b[e - 1])) e--;
            String t = new String(b, fs, e - fs, StandardCharsets.ISO_8859_1);
            String what = f == labelCol ? "label" : "value";
            if (t.isEmpty()) throw error(fs, "expected a numeric " + what + ", found an empty field");
            String u = t.toLowerCase(java.util.Locale.ROOT).replaceFirst("^[+-]", "");
            boolean special = u.equals("nan") || u.equals("inf") || u.equals("infinity")
                    || LibsvmReader.looksNumeric(u);
            throw error(fs, (special ? "expected a finite " : "expected a numeric ") + what
                    + ", found " + LibsvmReader.quoteToken(t));
        }

        private int resolveLabel(List<String> names) {
            if (labelName != null) {
                if (names == null)
                    throw new DataFormatException(name, line, 0, "label column \"" + labelName
                            + "\" is given by name, but the file has no header row");
                int k = names.indexOf(labelName);
                if (k < 0) {
                    String all = String.join(", ", names.size() > 20 ? names.subList(0, 20) : names);
                    throw new DataFormatException(name, line, 0, "expected a column named \"" + labelName
                            + "\" for the label, found " + all + (names.size() > 20 ? ", ..." : ""));
                }
                return k;
            }
            int k = labelIndex < 0 ? fields + labelIndex : labelIndex;
            if (k < 0 || k >= fields)
                throw new DataFormatException(name, line, 0, "label column " + labelIndex
                        + " is out of range: the file has " + fields + " columns");
            return k;
        }

        /** Splits the first line into trimmed, unquoted fields (cold path: one line). */
        private List<String> splitText(int p) {
            List<String> out = new ArrayList<>();
            for (;;) {
                while (isPad(b[p])) p++;
                StringBuilder sb = new StringBuilder();
                if (b[p] == '"') {
                    int qs = p++;
                    for (;;) {
                        int c = b[p];
                        if (c == '\n') throw error(qs, "expected a closing quote");
                        if (c == '"') {
                            if (b[p + 1] == '"') { sb.append('"'); p += 2; continue; }
                            p++;
                            break;
                        }
                        sb.append((char) (c & 0xFF));
                        p++;
                    }
                    while (isPad(b[p])) p++;
                    int c = b[p];
                    if (c != sep && c != '\n' && c != '\r') throw error(p, "expected a separator after a quoted field");
                } else {
                    int s = p;
                    while (b[p] != sep && b[p] != '\n' && !(b[p] == '\r' && b[p + 1] == '\n')) p++;
                    int e = p;
                    while (e > s && isPad(b[e - 1])) e--;
                    sb.append(new String(b, s, e - s, StandardCharsets.UTF_8));
                }
                out.add(sb.toString());
                if (b[p] == sep) { p++; continue; }
                return out;
            }
        }

        private boolean isNumber(String f) {
            byte[] t = (f + "\n").getBytes(StandardCharsets.ISO_8859_1);
            double v = dec.parse(t, 0);
            return !Double.isNaN(v) && dec.end == t.length - 1;
        }

        private static int skipLine(byte[] b, int p) {
            while (b[p] != '\n') p++;
            return p + 1;
        }

        private static int grow(int n) {
            return (int) Math.min(Integer.MAX_VALUE - 16L, n + (n >> 1) + 16L);
        }

        private DataFormatException error(int p, String what) {
            return new DataFormatException(name, line, p - lineStart + 1, what);
        }
    }
}
