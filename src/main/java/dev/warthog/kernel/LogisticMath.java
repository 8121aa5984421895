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
 *       polynomial of degree 13 (the first dropped term is below 2^-58 relative).</li>
 *   <li>{@link #log1pUnit}(e) = log(1 + e) for 0 <= e <= 1: log(1 + a) = 2 atanh(s),
 *       s = a / (2 + a), series to s^23 in s; above sqrt(2) - 1 first 1 + e = 2 (1 + a) with
 *       a = (e - 1) / 2 (exact), so |s| <= 0.172 always and ln 2 is added in two parts.</li>
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

    /** 1/k!, k = 13 down to 0 (Horner order). */
    static final double[] EXP_C = new double[14];
    /** 2/(2k+1), k = 11 down to 1 (Horner order): log(1+a) = 2s + s z P(z), z = s^2. */
    static final double[] LOG_C = new double[11];

    static {
        double f = 1;
        double[] inv = new double[14];
        for (int k = 0; k <= 13; k++) {
            if (k > 0) f *= k;
            inv[k] = 1 / f;
        }
        for (int k = 0; k <= 13; k++) EXP_C[k] = inv[13 - k];
        for (int k = 1; k <= 11; k++) LOG_C[11 - k] = 2.0 / (2 * k + 1);
    }

    /** exp(-t), 0 <= t <= {@link #EXP_MAX}. */
    static double expNeg(double t) {
        double x = -t;
        double kb = Math.fma(x, LOG2E, SHIFTER);
        double kd = kb - SHIFTER;
        double r = Math.fma(kd, -LN2_HI, x);
        r = Math.fma(kd, -LN2_LO, r);
        double p = EXP_C[0];
        for (int i = 1; i < EXP_C.length; i++) p = Math.fma(p, r, EXP_C[i]);
        double scale = Double.longBitsToDouble((Double.doubleToRawLongBits(kb) + 1023) << 52);
        return p * scale;
    }

    /** log(1 + e), 0 <= e <= 1. */
    static double log1pUnit(double e) {
        boolean big = e > SQRT2_M1;
        double a = big ? (e - 1) * 0.5 : e;
        double s = a / (a + 2);
        double z = s * s;
        double p = LOG_C[0];
        for (int i = 1; i < LOG_C.length; i++) p = Math.fma(p, z, LOG_C[i]);
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
