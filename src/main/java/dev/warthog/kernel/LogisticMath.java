package dev.warthog.kernel;

/**
 * exp and log1p for the logistic loss, written with +, -, *, / and fused multiply-add only,
 * so that a lane of {@code PanamaKernels}' vector version performs exactly the same
 * correctly-rounded operations as this scalar one: both twins of
 * {@link VectorKernels#logistic} give the same bits, interpreted or compiled (the JDK's
 * vector exp/log1p are not promised to agree with {@link Math#exp} or with themselves
 * before and after C2 compiles them, which would break the bit-identical results of the
 * synchronous algorithms).
 *
 * <ul>
 *   <li>{@link #expNeg}(t) = exp(-t) for 0 <= t <= {@link #EXP_MAX}: t = k ln 2 + r with k
 *       rounded to nearest by the 1.5 * 2^52 shifter (the shifted value's low bits are k, so
 *       2^k is built from its bits, with no double-to-long conversion, which AVX2 lacks),
 *       ln 2 in two parts (Cody and Waite), exp(r) for |r| <= ln 2 / 2 by its Taylor
 *       polynomial of degree 13 (the first dropped term is at most about 2^-57 relative), evaluated
 *       by Estrin's scheme.</li>
 *   <li>{@link #log1pUnit}(e) = log(1 + e) for 0 <= e <= 1: log(1 + a) = 2 atanh(s),
 *       s = a / (2 + a), series to s^23 in s; above sqrt(2) - 1 first 1 + e = 2 (1 + a) with
 *       a = (e - 1) / 2 (exact for e >= 1/2, one rounding below), so |s| <= 0.172 always and ln 2 is added in two parts.</li>
 * </ul>
 * Both stay within a few ulps of {@link Math#exp} and {@link Math#log1p} (KernelsTest checks
 * 4 ulps over their whole ranges).
 */
final class LogisticMath {
    private LogisticMath() {}

    /** Above this t, exp(-t) is {@link Math#exp} (the polynomial's 2^k would leave the normal range). */
    static final double EXP_MAX = 700;
    static final double LOG2E = 0x1.71547652b82fep0;
    static final double LN2_HI = 0x1.62e42fefa39efp-1, LN2_LO = 0x1.abc9e3b39803fp-56;
    /** 1.5 * 2^52: x + SHIFTER rounds x to an integer held in the low mantissa bits. */
    static final double SHIFTER = 0x1.8p52;
    static final double SQRT2_M1 = 0x1.a827999fcef32p-2;

    /** exp's Taylor coefficients 1/k!, k = 0..13. */
    static final double E0 = 1, E1 = 1, E2 = 1 / 2.0, E3 = 1 / 6.0, E4 = 1 / 24.0, E5 = 1 / 120.0, E6 = 1 / 720.0,
            E7 = 1 / 5040.0, E8 = 1 / 40320.0, E9 = 1 / 362880.0, E10 = 1 / 3628800.0, E11 = 1 / 39916800.0,
            E12 = 1 / 479001600.0, E13 = 1 / 6227020800.0;
    /** log1p's series: log(1 + a) = 2s + s z P(z), z = s^2, P(z) = sum_k P_k z^k with P_k = 2/(2k + 3), k = 0..10. */
    static final double P0 = 2 / 3.0, P1 = 2 / 5.0, P2 = 2 / 7.0, P3 = 2 / 9.0, P4 = 2 / 11.0, P5 = 2 / 13.0,
            P6 = 2 / 15.0, P7 = 2 / 17.0, P8 = 2 / 19.0, P9 = 2 / 21.0, P10 = 2 / 23.0;

    /**
     * exp(-t), 0 <= t <= {@link #EXP_MAX}. The polynomial by Estrin's scheme (pairs, then
     * pairs of pairs with r^2, r^4, r^8): four dependent FMAs deep instead of Horner's
     * thirteen, since the full gradient waits for this result before it adds the rows.
     */
    static double expNeg(double t) {
        double x = -t;
        double kb = Math.fma(x, LOG2E, SHIFTER);
        double kd = kb - SHIFTER;
        double r = Math.fma(kd, -LN2_HI, x);
        r = Math.fma(kd, -LN2_LO, r);
        double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
        double a0 = Math.fma(E1, r, E0), a1 = Math.fma(E3, r, E2), a2 = Math.fma(E5, r, E4), a3 = Math.fma(E7, r, E6);
        double a4 = Math.fma(E9, r, E8), a5 = Math.fma(E11, r, E10), a6 = Math.fma(E13, r, E12);
        double b0 = Math.fma(a1, r2, a0), b1 = Math.fma(a3, r2, a2), b2 = Math.fma(a5, r2, a4);
        double c0 = Math.fma(b1, r4, b0), c1 = Math.fma(a6, r4, b2);
        double p = Math.fma(c1, r8, c0);
        double scale = Double.longBitsToDouble((Double.doubleToRawLongBits(kb) + 1023) << 52);
        return p * scale;
    }

    /** log(1 + e), 0 <= e <= 1; P(z) by Estrin's scheme as in {@link #expNeg}. */
    static double log1pUnit(double e) {
        boolean big = e > SQRT2_M1;
        double a = big ? (e - 1) * 0.5 : e;
        double s = a / (a + 2);
        double z = s * s;
        double z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
        double a0 = Math.fma(P1, z, P0), a1 = Math.fma(P3, z, P2), a2 = Math.fma(P5, z, P4), a3 = Math.fma(P7, z, P6);
        double a4 = Math.fma(P9, z, P8);
        double b0 = Math.fma(a1, z2, a0), b1 = Math.fma(a3, z2, a2), b2 = Math.fma(P10, z2, a4);
        double c0 = Math.fma(b1, z4, b0);
        double p = Math.fma(b2, z8, c0);
        double l = Math.fma(s, z * p, s * 2);
        return big ? (l + LN2_LO) + LN2_HI : l;
    }

    /** One element of {@link VectorKernels#logistic}. */
    static void term(double m, double y, double[] deriv, double[] loss, int k) {
        double z = y * m;
        double t = Math.abs(z);
        double e = t <= EXP_MAX ? expNeg(t) : Math.exp(-t);
        deriv[k] = (z > 0 ? -y * e : -y) / (e + 1);
        if (loss != null) loss[k] = (z > 0 ? 0.0 : -z) + log1pUnit(e);
    }
}
