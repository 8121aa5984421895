package dev.warthog.io;

import dev.warthog.data.Dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Writes a {@link Dataset} as LIBSVM text: {@code label index:value ...} with 1-based
 * indices. Sparse data writes its stored entries (explicit zeros included, so the CSR
 * structure survives a round trip); dense data skips zeros.
 *
 * <p>Labels are written as integers when integral, otherwise like values. Values are, by
 * default, the shortest decimal that reads back as the same double ({@code 0.1}, {@code 1},
 * {@code 1.0E-7}); {@link LibsvmReader} reads every form written here, so a write/read round
 * trip is bit-identical. {@link Builder#significantDigits(int)} rounds values (not labels)
 * to fewer digits for smaller files. NaN and infinite values are refused.
 *
 * <p>Files are written to a temporary file in the target directory and moved into place,
 * so a failed or interrupted write never leaves a half-written file under the target name.
 */
public final class LibsvmWriter {
    private LibsvmWriter() {}

    /** Writes {@code data} to {@code file} at full precision. */
    public static void write(Dataset data, Path file) {
        builder().write(data, file);
    }

    /** Options. */
    public static Builder builder() {
        return new Builder();
    }

    /** Writing options. */
    public static final class Builder {
        private int digits;

        private Builder() {}

        /**
         * Rounds values to {@code n} significant digits (1..17, half-even on the exact binary
         * value); 0, the default, writes the shortest exact round-trip form.
         */
        public Builder significantDigits(int n) {
            if (n < 0 || n > 17) throw new IllegalArgumentException("significant digits must be in [0, 17], got " + n);
            this.digits = n;
            return this;
        }

        /** Writes atomically to {@code file} ({@link AtomicFiles}: a temporary file in the same folder, then a move). */
        public void write(Dataset data, Path file) {
            AtomicFiles.writeBytes(file, out -> write(data, out));
        }

        /** Writes to {@code out} (not closed; flushed at the end). */
        public void write(Dataset data, OutputStream out) throws IOException {
            Decimal dec = new Decimal();
            byte[] buf = new byte[1 << 16];
            int pos = 0;
            final int room = buf.length - 2 * Decimal.MAX_FORMAT_BYTES;
            double[] values = data.values();
            int[] indices = data.indices();
            boolean sparse = data.isSparse();
            for (int i = 0, n = data.rows(); i < n; i++) {
                pos = writeLabel(dec, data.label(i), buf, pos);
                int s = data.rowStart(i), e = s + data.rowNnz(i);
                for (int k = s; k < e; k++) {
                    double v = values[k];
                    if (!sparse && v == 0) continue;
                    if (pos > room) { out.write(buf, 0, pos); pos = 0; }
                    int col = sparse ? indices[k] : k - s;
                    buf[pos++] = ' ';
                    pos = Decimal.writeInt(col + 1, buf, pos);
                    buf[pos++] = ':';
                    try {
                        pos = dec.format(v, digits, buf, pos);
                    } catch (IllegalArgumentException ex) {
                        throw new IllegalArgumentException(data.source() + ": row " + i + ", column " + col + ": " + ex.getMessage(), ex);
                    }
                }
                buf[pos++] = '\n';
                if (pos > room) { out.write(buf, 0, pos); pos = 0; }
            }
            out.write(buf, 0, pos);
            out.flush();
        }

        private static int writeLabel(Decimal dec, double y, byte[] buf, int pos) {
            if (y == Math.rint(y) && Math.abs(y) < 1e15 && Double.doubleToRawLongBits(y) != Long.MIN_VALUE) {
                long v = (long) y;
                if (v < 0) { buf[pos++] = '-'; v = -v; }
                String s = Long.toString(v);
                for (int k = 0; k < s.length(); k++) buf[pos++] = (byte) s.charAt(k);
                return pos;
            }
            if (!Double.isFinite(y)) throw new IllegalArgumentException("cannot write non-finite label " + y);
            return dec.format(y, 0, buf, pos);
        }
    }
}
