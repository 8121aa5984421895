package dev.warthog.io;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Decimal numbers as ASCII bytes, both ways. One instance per reader or writer (it keeps
 * scratch state); not thread-safe.
 *
 * <p>Parsing accepts exactly {@code [+-]? digits [. digits] [(e|E) [+-]? digits]} with at
 * least one mantissa digit (".5" and "5." included), nothing else: no NaN, Infinity, hex or
 * type suffixes. Results are correctly rounded: short mantissas take the exact
 * "m * 10^k in double arithmetic" path (exact operands, one rounding), everything else goes
 * to fastdoubleparser.
 */
final class Decimal {
    private static final double[] P10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

    /** After {@link #parse}: index of the first byte not consumed. */
    int end;

    private final byte[] digits = new byte[40];

    /**
     * Parses the number starting at {@code b[p]}, stopping at the first byte that cannot
     * continue it (the caller checks that byte is a delimiter). Returns NaN when there is no
     * well-formed number at p. The input must hold a terminator that is not part of any
     * number (the readers' {@code '\n'} sentinel), so no bounds checks are needed.
     */
    double parse(byte[] b, int p) {
        final int s = p;
        boolean neg = false;
        int c = b[p];
        if (c == '-') { neg = true; c = b[++p]; }
        else if (c == '+') c = b[++p];
        long m = 0;
        int nd = 0;           // significant digits in m
        int scale = 0;        // value = m * 10^scale
        boolean any = false;
        boolean slow = false; // more than 18 significant digits (m would overflow)
        int d;
        while ((d = c - '0') >= 0 && d <= 9) {
            any = true;
            if (m != 0 || d != 0) {
                if (nd < 18) { m = m * 10 + d; nd++; } else slow = true;
            }
            c = b[++p];
        }
        if (c == '.') {
            c = b[++p];
            while ((d = c - '0') >= 0 && d <= 9) {
                any = true;
                if (m != 0 || d != 0) {
                    if (nd < 18) { m = m * 10 + d; nd++; scale--; } else slow = true;
                } else {
                    scale--;
                }
                c = b[++p];
            }
        }
        if (!any) { end = p; return Double.NaN; }
        if ((c | 0x20) == 'e') {
            c = b[++p];
            boolean eneg = false;
            if (c == '-') { eneg = true; c = b[++p]; }
            else if (c == '+') c = b[++p];
            if (c < '0' || c > '9') { end = p; return Double.NaN; }
            int ex = 0;
            while ((d = c - '0') >= 0 && d <= 9) {
                if (ex < 100_000) ex = ex * 10 + d;   // beyond that the result is 0 or infinite anyway
                c = b[++p];
            }
            scale += eneg ? -ex : ex;
        }
        end = p;
        if (!slow) {
            if (m == 0) return neg ? -0.0 : 0.0;
            // both operands exact, so the one IEEE operation rounds correctly (Clinger's fast path)
            if (m <= (1L << 53) && scale >= -22 && scale <= 22) {
                double v = scale < 0 ? (double) m / P10[-scale] : (double) m * P10[scale];
                return neg ? -v : v;
            }
        }
        try {
            return JavaDoubleParser.parseDouble(b, s, p - s);
        } catch (NumberFormatException e) {
            return Double.NaN;   // unreachable for the grammar above; kept as a guard
        }
    }

    /** Largest number of bytes {@link #format} writes. */
    static final int MAX_FORMAT_BYTES = 32;

    /**
     * Writes finite {@code v} at {@code out[pos]} and returns the position after it: the
     * shortest decimal that reads back as exactly {@code v} when {@code sig == 0}, else
     * {@code v} correctly rounded (half-even) to {@code sig} significant digits. Plain
     * notation for magnitudes in [1e-5, 1e15), otherwise {@code 1.25E-7} style; no trailing
     * zeros ("1" not "1.0"), negative zero as "-0".
     */
    int format(double v, int sig, byte[] out, int pos) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("cannot write non-finite value " + v);
        if (v == 0) {
            if (Double.doubleToRawLongBits(v) < 0) out[pos++] = '-';
            out[pos++] = '0';
            return pos;
        }
        if (v < 0) { out[pos++] = '-'; v = -v; }
        // Double.toString is the shortest round-trip decimal (JDK 19+); take its digits apart
        String s = Double.toString(v);
        byte[] dg = digits;
        int n = 0, point = -1, exp = 0, len = s.length(), i = 0;
        for (; i < len; i++) {
            char ch = s.charAt(i);
            if (ch == '.') point = n;
            else if (ch == 'E') break;
            else dg[n++] = (byte) (ch - '0');
        }
        if (i < len) exp = Integer.parseInt(s, i + 1, len, 10);
        if (point < 0) point = n;
        int lead = 0;
        while (dg[lead] == 0) lead++;
        int e10 = point - 1 - lead + exp;          // v = d0.d1d2... * 10^e10
        if (lead > 0) { System.arraycopy(dg, lead, dg, 0, n - lead); n -= lead; }
        while (n > 1 && dg[n - 1] == 0) n--;
        if (sig > 0 && n > sig) {
            int r = dg[sig];
            if (r == 5 && n == sig + 1) {
                // the shortest form ends exactly on the half-way digit: only the exact
                // binary value can tell which way to round
                BigDecimal bd = new BigDecimal(v).round(new MathContext(sig, RoundingMode.HALF_EVEN));
                String u = bd.unscaledValue().toString();
                n = u.length();
                for (int k = 0; k < n; k++) dg[k] = (byte) (u.charAt(k) - '0');
                e10 = n - 1 - bd.scale();
            } else {
                // otherwise v lies on the same side of the half-way point as its shortest form
                // (a shorter decimal between them would itself have been the shortest form)
                n = sig;
                if (r >= 5) {
                    int k = n - 1;
                    while (k >= 0 && dg[k] == 9) dg[k--] = 0;
                    if (k >= 0) dg[k]++;
                    else { dg[0] = 1; n = 1; e10++; }
                }
            }
            while (n > 1 && dg[n - 1] == 0) n--;
        }
        if (e10 >= -5 && e10 < 15) {
            if (e10 < 0) {
                out[pos++] = '0';
                out[pos++] = '.';
                for (int k = -1; k > e10; k--) out[pos++] = '0';
                for (int k = 0; k < n; k++) out[pos++] = (byte) ('0' + dg[k]);
            } else {
                for (int k = 0; k <= e10; k++) out[pos++] = (byte) ('0' + (k < n ? dg[k] : 0));
                if (n > e10 + 1) {
                    out[pos++] = '.';
                    for (int k = e10 + 1; k < n; k++) out[pos++] = (byte) ('0' + dg[k]);
                }
            }
        } else {
            out[pos++] = (byte) ('0' + dg[0]);
            if (n > 1) {
                out[pos++] = '.';
                for (int k = 1; k < n; k++) out[pos++] = (byte) ('0' + dg[k]);
            }
            out[pos++] = 'E';
            if (e10 < 0) { out[pos++] = '-'; e10 = -e10; }
            pos = writeInt(e10, out, pos);
        }
        return pos;
    }

    /** Writes non-negative {@code x} in decimal; returns the position after it. */
    static int writeInt(int x, byte[] out, int pos) {
        if (x < 10) { out[pos] = (byte) ('0' + x); return pos + 1; }
        int len = 1;
        for (int t = x / 10; t > 0; t /= 10) len++;
        int end = pos + len;
        for (int k = end - 1; k >= pos; k--) { out[k] = (byte) ('0' + x % 10); x /= 10; }
        return end;
    }
}
