package dev.warthog.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provider decision and the scalar/vector twins compared with each other and with a
 * naive reference loop over awkward sizes and non-zero offsets. Surefire runs this class
 * twice: with {@code --add-modules jdk.incubator.vector -Dwarthog.expectVector=true} and
 * without the module ({@code -Dwarthog.expectVector=false}).
 */
class KernelsTest {
    static final int[] SIZES = {0, 1, 2, 3, 7, 8, 13, 15, 16, 17, 31, 33, 63, 64, 65, 127, 207, 702, 1024, 1031, 4099};
    /** (offset of the first operand, offset of the second). */
    static final int[][] OFFSETS = {{0, 0}, {1, 3}, {5, 0}, {0, 7}};
    /** Untouched elements after the active range; writes there are bugs. */
    static final int PAD = 9;

    // ---------------------------------------------------------------- provider

    @Test
    void providerHonoursTheModuleGraph() {
        String expect = System.getProperty("warthog.expectVector");
        VectorKernels chosen = Kernels.get();
        assertSame(chosen, Kernels.get(), "chosen once");
        assertSame(ScalarKernels.INSTANCE, Kernels.scalar());
        if ("true".equals(expect)) {
            assertTrue(Kernels.vectorized(), "module present, expected the Vector API kernels, got " + chosen.name());
            assertEquals("dev.warthog.kernel.PanamaKernels", chosen.getClass().getName());
            assertTrue(chosen.name().startsWith("panama-"), chosen.name());
            assertNotNull(Kernels.panamaOrNull());
        } else if ("false".equals(expect)) {
            assertFalse(Kernels.vectorized(), "module absent, expected scalar kernels, got " + chosen.name());
            assertSame(ScalarKernels.INSTANCE, chosen);
            assertEquals("scalar", chosen.name());
            assertNull(Kernels.panamaOrNull());
        }
        // else: run by hand without the surefire flag; nothing to assert about the choice
    }

    // ---------------------------------------------------------------- the twins

    /** The implementations under test: scalar always, Panama when the module is present. */
    static List<VectorKernels> impls() {
        List<VectorKernels> l = new ArrayList<>();
        l.add(ScalarKernels.INSTANCE);
        VectorKernels p = Kernels.panamaOrNull();
        if (p != null) {
            l.add(p);
            l.add(panamaForced()); // every vector path, incl. those off by default
        }
        return l;
    }

    /**
     * PanamaKernels with every vector path on from the shortest length (explicit axpy and
     * scale loops, gather and scatter); reflective so scalar runs never link it.
     */
    static VectorKernels panamaForced() {
        try {
            var c = Class.forName("dev.warthog.kernel.PanamaKernels")
                    .getDeclaredConstructor(int.class, int.class, int.class);
            return (VectorKernels) c.newInstance(0, 0, 0);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> dense() {
        List<Arguments> args = new ArrayList<>();
        for (VectorKernels k : impls())
            for (int n : SIZES)
                for (int[] off : OFFSETS) args.add(Arguments.of(k, n, off[0], off[1]));
        return args.stream();
    }

    static Stream<Arguments> sparse() {
        List<Arguments> args = new ArrayList<>();
        for (VectorKernels k : impls())
            for (int n : SIZES)
                for (int off : new int[] {0, 3}) args.add(Arguments.of(k, n, off));
        return args.stream();
    }

    static double[] random(SplittableRandom r, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) x[i] = r.nextDouble(-1, 1) * (1 + (i % 5)); // mixed magnitudes
        return x;
    }

    // ---- reference loops: the obvious one-line definitions ----

    static double refDot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) s += a[aOff + k] * b[bOff + k];
        return s;
    }

    static double absDot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) s += Math.abs(a[aOff + k] * b[bOff + k]);
        return s;
    }

    /** |got - ref| <= 1e-12 * sum |a_k b_k|: the reassociation error bound, with a wide margin. */
    static void assertDot(double ref, double scale, double got, String what) {
        double tol = 1e-12 * scale;
        if (!(Math.abs(got - ref) <= tol))
            throw new AssertionError(what + ": expected " + ref + " +- " + tol + ", got " + got);
    }

    /** y after axpy: elementwise, 1e-15 relative (FMA may differ from mul+add in the last bit). */
    static void assertAxpy(double alpha, double[] x, int xOff, double[] y0, double[] y, int yOff, int n, String what) {
        assertEquals(y0.length, y.length);
        for (int i = 0; i < y.length; i++) {
            int k = i - yOff;
            if (k < 0 || k >= n) {
                if (Double.compare(y0[i], y[i]) != 0)
                    throw new AssertionError(what + ": wrote outside the range at " + i);
                continue;
            }
            double ref = y0[i] + alpha * x[xOff + k];
            double tol = 1e-15 * (Math.abs(y0[i]) + Math.abs(alpha * x[xOff + k]));
            if (!(Math.abs(y[i] - ref) <= tol))
                throw new AssertionError(what + ": y[" + i + "] expected " + ref + " got " + y[i]);
        }
    }

    @ParameterizedTest(name = "{0} n={1} off={2},{3}")
    @MethodSource("dense")
    void dotMatchesReference(VectorKernels k, int n, int aOff, int bOff) {
        SplittableRandom r = new SplittableRandom(31L * n + aOff);
        double[] a = random(r, aOff + n + PAD), b = random(r, bOff + n + PAD);
        double[] a0 = a.clone(), b0 = b.clone();
        double got = k.dot(a, aOff, b, bOff, n);
        assertDot(refDot(a, aOff, b, bOff, n), absDot(a, aOff, b, bOff, n), got, k.name() + " dot");
        assertDot(ScalarKernels.INSTANCE.dot(a, aOff, b, bOff, n), absDot(a, aOff, b, bOff, n), got, k.name() + " vs scalar");
        assertTrue(Arrays.equals(a0, a) && Arrays.equals(b0, b), "dot must not write");
        if (n == 0) assertEquals(0.0, got);
    }

    /**
     * dot4 over four rows that start at awkward, unordered offsets (one of them shared, the
     * others far apart) equals four reference dots; the scalar twin agrees; nothing is written.
     */
    @ParameterizedTest(name = "{0} n={1} off={2},{3}")
    @MethodSource("dense")
    void dot4MatchesReference(VectorKernels k, int n, int xOff, int wOff) {
        SplittableRandom r = new SplittableRandom(37L * n + xOff);
        double[] x = random(r, xOff + 5 * n + 3 * PAD), w = random(r, n + PAD);
        int[] o = {xOff + 3 * n + 2 * PAD, xOff, xOff + n + PAD, xOff + 3 * n + 2 * PAD - wOff};
        o[3] = Math.max(0, o[3]);
        double[] x0 = x.clone(), w0 = w.clone();
        double[] out = {Double.NaN, Double.NaN, Double.NaN, Double.NaN}, twin = new double[4];
        k.dot4(x, o[0], o[1], o[2], o[3], w, n, out);
        ScalarKernels.INSTANCE.dot4(x, o[0], o[1], o[2], o[3], w, n, twin);
        for (int q = 0; q < 4; q++) {
            double abs = absDot(x, o[q], w, 0, n);
            assertDot(refDot(x, o[q], w, 0, n), abs, out[q], k.name() + " dot4 row " + q);
            assertDot(twin[q], abs, out[q], k.name() + " dot4 vs scalar, row " + q);
            if (n == 0) assertEquals(0.0, out[q]);
        }
        assertTrue(Arrays.equals(x0, x) && Arrays.equals(w0, w), "dot4 must not write");
    }

    @ParameterizedTest(name = "{0} n={1} off={2},{3}")
    @MethodSource("dense")
    void axpyMatchesReference(VectorKernels k, int n, int xOff, int yOff) {
        SplittableRandom r = new SplittableRandom(17L * n + xOff);
        double[] x = random(r, xOff + n + PAD), y0 = random(r, yOff + n + PAD);
        double[] x0 = x.clone(), y = y0.clone();
        double alpha = -0.37;
        k.axpy(alpha, x, xOff, y, yOff, n);
        assertAxpy(alpha, x, xOff, y0, y, yOff, n, k.name() + " axpy");
        assertTrue(Arrays.equals(x0, x), "axpy must not write x");
        // and the twin agrees with the scalar one to the same tolerance
        double[] ys = y0.clone();
        ScalarKernels.INSTANCE.axpy(alpha, x, xOff, ys, yOff, n);
        for (int i = 0; i < y.length; i++)
            assertEquals(ys[i], y[i], 1e-15 * (Math.abs(ys[i]) + Math.abs(y0[i]) + 1e-300), k.name() + " vs scalar at " + i);
    }

    @ParameterizedTest(name = "{0} n={1} off={2}")
    @MethodSource("dense")
    void scaleIsExact(VectorKernels k, int n, int off, int unused) {
        SplittableRandom r = new SplittableRandom(5L * n + off);
        double[] x0 = random(r, off + n + PAD), x = x0.clone();
        double alpha = 1.0 / 3.0;
        k.scale(alpha, x, off, n);
        for (int i = 0; i < x.length; i++) {
            double want = (i >= off && i < off + n) ? x0[i] * alpha : x0[i];
            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(x[i]),
                    () -> k.name() + " scale: element " + Arrays.toString(new double[] {want}));
        }
    }

    /** average2 over [off, off + n): exactly (a + b) / 2 in both arrays, nothing else written, a == b allowed. */
    @ParameterizedTest(name = "{0} n={1} off={2},{3}")
    @MethodSource("dense")
    void average2IsExact(VectorKernels k, int n, int off, int unused) {
        SplittableRandom r = new SplittableRandom(13L * n + off);
        double[] a0 = random(r, off + n + PAD), b0 = random(r, off + n + PAD);
        double[] a = a0.clone(), b = b0.clone();
        k.average2(a, b, off, off + n);
        for (int i = 0; i < a.length; i++) {
            boolean in = i >= off && i < off + n;
            double want = (a0[i] + b0[i]) / 2;
            assertEquals(Double.doubleToLongBits(in ? want : a0[i]), Double.doubleToLongBits(a[i]), k.name() + " average2 a[" + i + "]");
            assertEquals(Double.doubleToLongBits(in ? want : b0[i]), Double.doubleToLongBits(b[i]), k.name() + " average2 b[" + i + "]");
        }
        double[] c = a0.clone();
        k.average2(c, c, off, off + n);   // one array twice: unchanged
        assertTrue(Arrays.equals(a0, c), "average2 of an array with itself");
    }

    /** A strictly increasing random index set of size nnz in [0, dim). */
    static int[] increasing(SplittableRandom r, int nnz, int dim) {
        return r.ints(0, dim).distinct().limit(nnz).sorted().toArray();
    }

    @ParameterizedTest(name = "{0} nnz={1} off={2}")
    @MethodSource("sparse")
    void sparseDotMatchesReference(VectorKernels k, int nnz, int off) {
        SplittableRandom r = new SplittableRandom(11L * nnz + off);
        int dim = 3 * nnz + 10;
        double[] values = random(r, off + nnz + PAD), w = random(r, dim);
        int[] indices = new int[off + nnz + PAD];
        Arrays.fill(indices, -1); // outside the range: any read there throws
        System.arraycopy(increasing(r, nnz, dim), 0, indices, off, nnz);
        double ref = 0, abs = 0;
        for (int j = off; j < off + nnz; j++) {
            ref += values[j] * w[indices[j]];
            abs += Math.abs(values[j] * w[indices[j]]);
        }
        double got = k.sparseDot(values, indices, off, nnz, w);
        assertDot(ref, abs, got, k.name() + " sparseDot");
        assertDot(ScalarKernels.INSTANCE.sparseDot(values, indices, off, nnz, w), abs, got, k.name() + " vs scalar");
    }

    @ParameterizedTest(name = "{0} nnz={1} off={2}")
    @MethodSource("sparse")
    void sparseAxpyMatchesReference(VectorKernels k, int nnz, int off) {
        SplittableRandom r = new SplittableRandom(13L * nnz + off);
        int dim = 3 * nnz + 10;
        double[] values = random(r, off + nnz + PAD), w0 = random(r, dim), w = w0.clone();
        int[] indices = new int[off + nnz + PAD];
        Arrays.fill(indices, -1);
        System.arraycopy(increasing(r, nnz, dim), 0, indices, off, nnz);
        double alpha = 0.71;
        k.sparseAxpy(alpha, values, indices, off, nnz, w);
        double[] ref = w0.clone();
        for (int j = off; j < off + nnz; j++) ref[indices[j]] += alpha * values[j];
        for (int i = 0; i < dim; i++) {
            double tol = 1e-15 * (Math.abs(w0[i]) + Math.abs(ref[i] - w0[i]));
            assertEquals(ref[i], w[i], tol, k.name() + " sparseAxpy w[" + i + "]");
        }
    }

    // ---------------------------------------------------------------- logistic terms

    /** Margins over the whole range: mixed signs and magnitudes, the polynomial's edges, specials. */
    static double[] margins(SplittableRandom r, int len) {
        double[] special = {0.0, -0.0, 1e-300, -1e-300, 700, -700, 700.0000001, -701, 745, -800, 1e6,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.34657359, -0.34657359};
        double[] m = new double[len];
        for (int i = 0; i < len; i++) {
            m[i] = switch (i % 4) {
                case 0 -> r.nextDouble(-3, 3);
                case 1 -> r.nextDouble(-60, 60);
                case 2 -> r.nextDouble(-700, 700);
                default -> r.nextInt(3) == 0 ? special[r.nextInt(special.length)] : r.nextDouble(-1e-3, 1e-3);
            };
        }
        return m;
    }

    static Stream<Arguments> logisticCases() {
        List<Arguments> args = new ArrayList<>();
        for (VectorKernels k : impls()) for (int n : SIZES) args.add(Arguments.of(k, n));
        return args.stream();
    }

    /**
     * The twins give the same bits (the vector lanes perform the scalar operations), with and
     * without the loss; every term is within a few ulps of the textbook formulas on
     * {@link Math#exp} and {@link Math#log1p}; nothing outside [0, n) is written.
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("logisticCases")
    void logisticMatchesReference(VectorKernels k, int n) {
        SplittableRandom r = new SplittableRandom(77L * n + 1);
        double[] m = margins(r, n + PAD), y = new double[n + PAD];
        for (int i = 0; i < y.length; i++) y[i] = r.nextBoolean() ? 1 : -1;
        double[] m0 = m.clone(), y0 = y.clone();
        double[] d = new double[n + PAD], l = new double[n + PAD], d2 = new double[n + PAD];
        double[] td = new double[n + PAD], tl = new double[n + PAD];
        Arrays.fill(d, 42);
        Arrays.fill(l, 42);
        Arrays.fill(d2, 42);
        k.logistic(m, y, n, d, l);
        k.logistic(m, y, n, d2, null);
        ScalarKernels.INSTANCE.logistic(m, y, n, td, tl);
        for (int i = 0; i < n + PAD; i++) {
            String at = k.name() + " logistic [" + i + "] m=" + m[i];
            if (i >= n) {
                assertTrue(d[i] == 42 && l[i] == 42 && d2[i] == 42, at + ": wrote outside the range");
                continue;
            }
            assertEquals(Double.doubleToLongBits(td[i]), Double.doubleToLongBits(d[i]), at + ": derivative vs scalar twin");
            assertEquals(Double.doubleToLongBits(tl[i]), Double.doubleToLongBits(l[i]), at + ": loss vs scalar twin");
            assertEquals(Double.doubleToLongBits(d[i]), Double.doubleToLongBits(d2[i]), at + ": derivative without the loss");
            double z = y[i] * m[i];
            double e = Math.exp(-Math.abs(z));
            double dRef = (z > 0 ? -y[i] * e : -y[i]) / (1 + e);
            double lRef = (z > 0 ? 0 : -z) + Math.log1p(e);
            assertUlps(dRef, d[i], 6, at + ": derivative");
            assertUlps(lRef, l[i], 6, at + ": loss");
        }
        assertTrue(Arrays.equals(m0, m) && Arrays.equals(y0, y), "logistic must not write its inputs");
    }

    /** The same bits from the first (interpreted) call to the last (compiled by C2). */
    @Test
    void logisticGivesTheSameBitsBeforeAndAfterCompilation() {
        VectorKernels k = Kernels.get();
        SplittableRandom r = new SplittableRandom(5);
        double[] m = margins(r, 64), y = new double[64];
        for (int i = 0; i < 64; i++) y[i] = r.nextBoolean() ? 1 : -1;
        double[] d0 = new double[64], l0 = new double[64], d = new double[64], l = new double[64];
        k.logistic(m, y, 64, d0, l0);
        for (int rep = 0; rep < 40_000; rep++) {
            k.logistic(m, y, 64, d, l);
            for (int i = 0; i < 64; i++)
                if (Double.doubleToRawLongBits(d[i]) != Double.doubleToRawLongBits(d0[i])
                        || Double.doubleToRawLongBits(l[i]) != Double.doubleToRawLongBits(l0[i]))
                    throw new AssertionError("call " + rep + " element " + i + " (m = " + m[i] + ") changed its bits");
        }
    }

    /**
     * Interpreted and C2-compiled code give the same bits: the in-process loop above may never
     * leave the interpreter or C1, so two child JVMs run {@link KernelBits}, one with -Xint and
     * one with -Xcomp and C2 only, and every kernel's digest must equal this JVM's (the Vector
     * API's interpreted fallback against its intrinsics, where the module is on).
     */
    @Test
    void kernelsGiveTheSameBitsInterpretedAndCompiledByC2() throws Exception {
        String here = KernelBits.digests();
        for (List<String> mode : List.of(List.of("-Xint"), List.of("-Xcomp", "-XX:-TieredCompilation",
                "-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,dev.warthog.kernel.*::*"))) {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElseThrow());
            cmd.addAll(mode);
            if (Kernels.panamaOrNull() != null) cmd.add("--add-modules=jdk.incubator.vector");
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelBits.class.getName()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), mode + ": " + err);
            assertEquals(here, out, mode + " gave other bits");
        }
    }

    /** |got - ref| <= ulps * ulp(ref); NaN only where the reference is NaN; equal infinities. */
    static void assertUlps(double ref, double got, int ulps, String what) {
        if (Double.isNaN(ref) || Double.isInfinite(ref)) {
            if (Double.compare(ref, got) != 0) throw new AssertionError(what + ": expected " + ref + ", got " + got);
            return;
        }
        if (!(Math.abs(got - ref) <= ulps * Math.ulp(ref)))
            throw new AssertionError(what + ": expected " + ref + " within " + ulps + " ulps, got " + got
                    + " (" + Math.abs(got - ref) / Math.ulp(ref) + " ulps)");
    }

    /** exp and log1p of {@link LogisticMath} over their whole ranges, against the JDK's: 2 and 3 ulps measured, 4 allowed. */
    @Test
    void logisticMathIsWithinFourUlps() {
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 400_000; i++) {
            double t = switch (i % 4) {
                case 0 -> r.nextDouble(0, LogisticMath.EXP_MAX);
                case 1 -> r.nextDouble(0, 1);
                case 2 -> r.nextDouble(0, 1e-6);
                default -> LogisticMath.EXP_MAX * (i % 1000) / 999.0;
            };
            assertUlps(Math.exp(-t), LogisticMath.expNeg(t), 4, "exp(-" + t + ")");
            double e = switch (i % 4) {
                case 0 -> r.nextDouble();
                case 1 -> Math.exp(-r.nextDouble(0, 700));
                case 2 -> LogisticMath.SQRT2_M1 + r.nextDouble(-1e-3, 1e-3);
                default -> (i % 1000) / 999.0;
            };
            assertUlps(Math.log1p(e), LogisticMath.log1pUnit(e), 4, "log1p(" + e + ")");
        }
        assertEquals(1.0, LogisticMath.expNeg(0));
        assertEquals(0.0, LogisticMath.log1pUnit(0));
        assertEquals(Math.log(2), LogisticMath.log1pUnit(1), Math.ulp(Math.log(2)));
    }

    // ---------------------------------------------------------------- the checks can fail

    /** A kernel that is wrong only in its tail; the checks above must reject it. */
    static final class OffByOne implements VectorKernels {
        @Override public String name() { return "broken"; }
        @Override public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
            return ScalarKernels.INSTANCE.dot(a, aOff, b, bOff, Math.max(0, n - 1));
        }
        @Override public void dot4(double[] x, int o0, int o1, int o2, int o3, double[] w, int n, double[] out) {
            ScalarKernels.INSTANCE.dot4(x, o0, o1, o2, o3, w, n, out);
            out[3] = dot(x, o3, w, 0, n);
        }
        @Override public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
            ScalarKernels.INSTANCE.axpy(alpha, x, xOff, y, yOff, n + 1); // one too many
        }
        @Override public void scale(double alpha, double[] x, int off, int n) {
            ScalarKernels.INSTANCE.scale(alpha, x, off + 1, Math.max(0, n - 1));
        }
        @Override public void average2(double[] a, double[] b, int from, int to) {
            ScalarKernels.INSTANCE.average2(a, b, from, Math.max(from, to - 1));   // misses the last element
        }
        @Override public double sparseDot(double[] values, int[] indices, int off, int nnz, double[] w) {
            return ScalarKernels.INSTANCE.sparseDot(values, indices, off, Math.max(0, nnz - 1), w);
        }
        @Override public void sparseAxpy(double alpha, double[] values, int[] indices, int off, int nnz, double[] w) {
            ScalarKernels.INSTANCE.sparseAxpy(-alpha, values, indices, off, nnz, w);
        }
        @Override public void logistic(double[] m, double[] y, int n, double[] deriv, double[] loss) {
            ScalarKernels.INSTANCE.logistic(m, y, n, deriv, loss);
            if (n > 0 && loss != null) loss[n - 1] = Math.nextUp(loss[n - 1]);   // one ulp off in the last loss
        }
    }

    @Test
    void aBrokenKernelFailsEveryCheck() {
        VectorKernels bad = new OffByOne();
        for (int n : new int[] {1, 17, 1031}) {
            assertThrows(AssertionError.class, () -> dotMatchesReference(bad, n, 1, 3), "dot n=" + n);
            assertThrows(AssertionError.class, () -> dot4MatchesReference(bad, n, 1, 3), "dot4 n=" + n);
            assertThrows(AssertionError.class, () -> axpyMatchesReference(bad, n, 1, 3), "axpy n=" + n);
            assertThrows(AssertionError.class, () -> scaleIsExact(bad, n, 5, 0), "scale n=" + n);
            assertThrows(AssertionError.class, () -> average2IsExact(bad, n, 5, 0), "average2 n=" + n);
            assertThrows(AssertionError.class, () -> sparseDotMatchesReference(bad, n, 3), "sparseDot n=" + n);
            assertThrows(AssertionError.class, () -> sparseAxpyMatchesReference(bad, n, 3), "sparseAxpy n=" + n);
            assertThrows(AssertionError.class, () -> logisticMatchesReference(bad, n), "logistic n=" + n);
        }
    }

    /** The tolerance is tight: a one-element error far below the sum's magnitude is caught. */
    @Test
    void dotToleranceIsTight() {
        double[] a = random(new SplittableRandom(1), 4099), b = random(new SplittableRandom(2), 4099);
        double ref = refDot(a, 0, b, 0, 4099), abs = absDot(a, 0, b, 0, 4099);
        assertThrows(AssertionError.class, () -> assertDot(ref, abs, ref + 1e-9 * abs, "perturbed"));
    }
}
