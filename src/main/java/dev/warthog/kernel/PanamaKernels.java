package dev.warthog.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API (jdk.incubator.vector) twin of {@link ScalarKernels}. Loaded by name from
 * {@link Kernels#panamaOrNull()} so that scalar runs never link incubator classes.
 *
 * <p>Kernel template (after Lucene's {@code PanamaVectorUtilSupport}): vectorise only above
 * a threshold length, {@code loopBound}, several independent accumulators, a vector tail,
 * then a scalar tail. The species is a {@code static final}, so it is a constant in every
 * compile context, OSR included: a species C2 cannot see as a constant (a field, or a
 * parameter of a loop compiled on its own) defeats intrinsification and makes every vector
 * a heap object; that is why a naive vector dot lost to scalar on long arrays.
 *
 * <p>Where the explicit vector loop did not beat the plain one on the measured machine (AMD
 * EPYC Zen 3, AVX2, 256-bit preferred species) the plain loop is used; each such regime
 * is a threshold below, measured in docs/bench/kernels.md:
 * <ul>
 * <li>dot: vector from {@code 2 * lanes} on (about 3-7x faster in cache, faster from DRAM);
 * <li>dot4 (four rows, one w): vector from {@code 2 * lanes} on;
 * <li>logistic (the loss terms of the full gradient): 256-bit vectors, lane for lane the
 *     scalar twin's operations ({@link LogisticMath}), so the same bits;
 * <li>axpy: the plain loop up to 2 Mi elements, because C2's SuperWord already compiles it
 *     to 256-bit SIMD with an alignment pre-loop and it beat the explicit loop there; the
 *     explicit loop streams DRAM-sized arrays faster;
 * <li>scale: the plain loop (auto-vectorised) at every size;
 * <li>average2 (two replicas averaged into both): the plain loop (auto-vectorised) at every size;
 * <li>sparse: the scalar loop. The gather form ({@code fromArray(S, w, 0, indices, k)})
 *     lost at 8 non-zeros and showed no significant gain at 75 or 1000, and AVX2 has no
 *     scatter instruction ({@code intoArray(w, 0, indices, k)} was 4-8x slower).
 * </ul>
 * The package-private constructor forces every vector path on, for tests.
 */
public final class PanamaKernels implements VectorKernels {
    /** The species: the preferred one, or {@code -Dwarthog.vectorBits=128|256|512}. */
    static final VectorSpecies<Double> S = species(Integer.getInteger("warthog.vectorBits", 0));
    private static final int L = S.length();

    /** Below this length the scalar loop is at least as fast. */
    private static final int DOT_MIN = 2 * L;
    /**
     * axpy uses the explicit vector loop from this length on (x and y together larger than
     * the 32 MB L3). Below, the plain loop (auto-vectorised by C2) was 10-40% faster.
     * {@code -Dwarthog.axpyVectorMin=N} overrides.
     */
    private final int axpyVectorMin;
    /** scale likewise; the explicit loop never won, so off by default ({@code -Dwarthog.scaleVectorMin}). */
    private final int scaleVectorMin;
    /**
     * Sparse rows use gather/scatter from this many non-zeros on. Off by default (never a
     * clear win here); {@code -Dwarthog.gatherMin=N} for machines with fast gathers.
     */
    private final int gatherMin;

    private static VectorSpecies<Double> species(int bits) {
        return switch (bits) {
            case 128 -> DoubleVector.SPECIES_128;
            case 256 -> DoubleVector.SPECIES_256;
            case 512 -> DoubleVector.SPECIES_512;
            default -> DoubleVector.SPECIES_PREFERRED;
        };
    }

    private final String name;

    public PanamaKernels() {
        this("", Integer.getInteger("warthog.axpyVectorMin", 1 << 21),
             Integer.getInteger("warthog.scaleVectorMin", Integer.MAX_VALUE),
             Integer.getInteger("warthog.gatherMin", Integer.MAX_VALUE));
    }

    /** With explicit thresholds; {@code (0, 0, 0)} runs every vector path (tests). */
    PanamaKernels(int axpyVectorMin, int scaleVectorMin, int gatherMin) {
        this("-forced", axpyVectorMin, scaleVectorMin, gatherMin);
    }

    private PanamaKernels(String suffix, int axpyVectorMin, int scaleVectorMin, int gatherMin) {
        this.name = "panama-" + S.vectorBitSize() + suffix;
        this.axpyVectorMin = axpyVectorMin;
        this.scaleVectorMin = scaleVectorMin;
        this.gatherMin = Math.max(gatherMin, L); // rows shorter than one vector: scalar
    }

    @Override public String name() { return name; }

    @Override public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        return n < DOT_MIN ? ScalarKernels.INSTANCE.dot(a, aOff, b, bOff, n) : dotVector(a, aOff, b, bOff, n);
    }

    private static double dotVector(double[] a, int aOff, double[] b, int bOff, int n) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int k = 0;
        // Main loop: 4 independent FMA chains hide the FMA latency (4 cycles on Zen).
        for (int bound = n - 4 * L; k <= bound; k += 4 * L) {
            s0 = DoubleVector.fromArray(S, a, aOff + k).fma(DoubleVector.fromArray(S, b, bOff + k), s0);
            s1 = DoubleVector.fromArray(S, a, aOff + k + L).fma(DoubleVector.fromArray(S, b, bOff + k + L), s1);
            s2 = DoubleVector.fromArray(S, a, aOff + k + 2 * L).fma(DoubleVector.fromArray(S, b, bOff + k + 2 * L), s2);
            s3 = DoubleVector.fromArray(S, a, aOff + k + 3 * L).fma(DoubleVector.fromArray(S, b, bOff + k + 3 * L), s3);
        }
        // Vector tail.
        for (int bound = S.loopBound(n); k < bound; k += L) {
            s0 = DoubleVector.fromArray(S, a, aOff + k).fma(DoubleVector.fromArray(S, b, bOff + k), s0);
        }
        double s = sumLanes(s0.add(s1).add(s2.add(s3)));
        // Scalar tail.
        for (; k < n; k++) s += a[aOff + k] * b[bOff + k];
        return s;
    }

    /**
     * One FMA chain per row (four independent chains hide the FMA latency), w loaded once per
     * four rows, then a scalar tail per row. Short rows (under two vectors): the scalar twin.
     */
    @Override public void dot4(double[] x, int o0, int o1, int o2, int o3, double[] w, int n, double[] out) {
        if (n < DOT_MIN) {
            ScalarKernels.INSTANCE.dot4(x, o0, o1, o2, o3, w, n, out);
            return;
        }
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            DoubleVector wk = DoubleVector.fromArray(S, w, k);
            s0 = DoubleVector.fromArray(S, x, o0 + k).fma(wk, s0);
            s1 = DoubleVector.fromArray(S, x, o1 + k).fma(wk, s1);
            s2 = DoubleVector.fromArray(S, x, o2 + k).fma(wk, s2);
            s3 = DoubleVector.fromArray(S, x, o3 + k).fma(wk, s3);
        }
        double t0 = sumLanes(s0), t1 = sumLanes(s1), t2 = sumLanes(s2), t3 = sumLanes(s3);
        for (; k < n; k++) {
            double wk = w[k];
            t0 += x[o0 + k] * wk;
            t1 += x[o1 + k] * wk;
            t2 += x[o2 + k] * wk;
            t3 += x[o3 + k] * wk;
        }
        out[0] = t0;
        out[1] = t1;
        out[2] = t2;
        out[3] = t3;
    }

    /**
     * The lanes added in a fixed order, lane 0 first. Not {@code reduceLanes(ADD)}: for
     * floating point its order is unspecified, and the interpreter's and C2's differ, so the
     * same call gave different last bits before and after compilation, which broke the
     * bit-identical results of the synchronous algorithms (a serial run compiled early and a
     * parallel run compiled late disagreed in the last place).
     */
    private static double sumLanes(DoubleVector v) {
        double s = v.lane(0);
        for (int i = 1; i < L; i++) s += v.lane(i);
        return s;
    }

    /**
     * Short and cache-resident: the plain loop (auto-vectorised by C2). Long: the explicit
     * loop, 4 vectors per iteration, lanewise mul then add rather than FMA, so the result is
     * bit-for-bit the scalar twin's (Java never fuses {@code y + a * x}); the loop is bound
     * by loads and stores, and FMA measured no faster (docs/bench/kernels.md).
     */
    @Override public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        // Call the twin's small method rather than copying its loop here: C2 compiles and
        // inlines it exactly as in the scalar twin; a copy in this method measured 3.7x slower.
        if (n < axpyVectorMin || n < 2 * L) ScalarKernels.INSTANCE.axpy(alpha, x, xOff, y, yOff, n);
        else axpyVector(alpha, x, xOff, y, yOff, n);
    }

    private static void axpyVector(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int k = 0;
        for (int bound = n - 4 * L; k <= bound; k += 4 * L) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, xOff + k);
            DoubleVector x1 = DoubleVector.fromArray(S, x, xOff + k + L);
            DoubleVector x2 = DoubleVector.fromArray(S, x, xOff + k + 2 * L);
            DoubleVector x3 = DoubleVector.fromArray(S, x, xOff + k + 3 * L);
            DoubleVector y0 = DoubleVector.fromArray(S, y, yOff + k);
            DoubleVector y1 = DoubleVector.fromArray(S, y, yOff + k + L);
            DoubleVector y2 = DoubleVector.fromArray(S, y, yOff + k + 2 * L);
            DoubleVector y3 = DoubleVector.fromArray(S, y, yOff + k + 3 * L);
            y0.add(x0.mul(va)).intoArray(y, yOff + k);
            y1.add(x1.mul(va)).intoArray(y, yOff + k + L);
            y2.add(x2.mul(va)).intoArray(y, yOff + k + 2 * L);
            y3.add(x3.mul(va)).intoArray(y, yOff + k + 3 * L);
        }
        for (int bound = S.loopBound(n); k < bound; k += L) {
            DoubleVector.fromArray(S, y, yOff + k).add(DoubleVector.fromArray(S, x, xOff + k).mul(va))
                    .intoArray(y, yOff + k);
        }
        for (; k < n; k++) y[yOff + k] += alpha * x[xOff + k];
    }

    /** Explicit vectors: one load and one store of y per four rows (mul then add, as {@link #axpy}). */
    @Override public void axpy4(double a0, int o0, double a1, int o1, double a2, int o2, double a3, int o3,
                                double[] x, double[] y, int n) {
        DoubleVector v0 = DoubleVector.broadcast(S, a0), v1 = DoubleVector.broadcast(S, a1);
        DoubleVector v2 = DoubleVector.broadcast(S, a2), v3 = DoubleVector.broadcast(S, a3);
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            DoubleVector.fromArray(S, y, k)
                    .add(DoubleVector.fromArray(S, x, o0 + k).mul(v0))
                    .add(DoubleVector.fromArray(S, x, o1 + k).mul(v1))
                    .add(DoubleVector.fromArray(S, x, o2 + k).mul(v2))
                    .add(DoubleVector.fromArray(S, x, o3 + k).mul(v3))
                    .intoArray(y, k);
        }
        for (; k < n; k++) y[k] = (((y[k] + a0 * x[o0 + k]) + a1 * x[o1 + k]) + a2 * x[o2 + k]) + a3 * x[o3 + k];
    }

    /** The logistic terms four lanes at a time (any wider preferred species has 256-bit vectors too). */
    private static final VectorSpecies<Double> S4 = DoubleVector.SPECIES_256;
    private static final boolean LOGISTIC_VECTOR = L >= 4;
    private static final DoubleVector E0 = c(LogisticMath.E0), E1 = c(LogisticMath.E1), E2 = c(LogisticMath.E2),
            E3 = c(LogisticMath.E3), E4 = c(LogisticMath.E4), E5 = c(LogisticMath.E5), E6 = c(LogisticMath.E6),
            E7 = c(LogisticMath.E7), E8 = c(LogisticMath.E8), E9 = c(LogisticMath.E9), E10 = c(LogisticMath.E10),
            E11 = c(LogisticMath.E11), E12 = c(LogisticMath.E12), E13 = c(LogisticMath.E13);
    private static final DoubleVector P0 = c(LogisticMath.P0), P1 = c(LogisticMath.P1), P2 = c(LogisticMath.P2),
            P3 = c(LogisticMath.P3), P4 = c(LogisticMath.P4), P5 = c(LogisticMath.P5), P6 = c(LogisticMath.P6),
            P7 = c(LogisticMath.P7), P8 = c(LogisticMath.P8), P9 = c(LogisticMath.P9), P10 = c(LogisticMath.P10);

    private static final DoubleVector NEG_LN2_HI = c(-LogisticMath.LN2_HI), NEG_LN2_LO = c(-LogisticMath.LN2_LO);

    private static DoubleVector c(double v) { return LOGISTIC_VECTOR ? DoubleVector.broadcast(S4, v) : null; }

    /**
     * {@link LogisticMath}'s operations lane by lane, four margins per vector, so the bits
     * are the scalar twin's. A vector with a lane outside the polynomial's range
     * (|z| > {@link LogisticMath#EXP_MAX}, or NaN) goes through the scalar twin, as does the
     * tail.
     */
    @Override public void logistic(double[] m, double[] y, int n, double[] deriv, double[] loss) {
        int k = 0;
        if (LOGISTIC_VECTOR) {
            for (int bound = S4.loopBound(n); k < bound; k += 4) {
                DoubleVector yv = DoubleVector.fromArray(S4, y, k);
                DoubleVector z = yv.mul(DoubleVector.fromArray(S4, m, k));
                DoubleVector t = z.abs();
                if (!t.compare(VectorOperators.LE, LogisticMath.EXP_MAX).allTrue()) {
                    for (int i = k; i < k + 4; i++) LogisticMath.term(m[i], y[i], deriv, loss, i);
                    continue;
                }
                // exp(-t)
                DoubleVector x = t.neg();
                DoubleVector kb = x.fma(LogisticMath.LOG2E, LogisticMath.SHIFTER);
                DoubleVector kd = kb.sub(LogisticMath.SHIFTER);
                DoubleVector r = kd.fma(NEG_LN2_HI, x);
                r = kd.fma(NEG_LN2_LO, r);
                // LogisticMath.expNeg's Estrin polynomial, written out here: C2 must inline every
                // vector operation to keep the vectors in registers (a call to an already
                // compiled helper boxed them and ran four times slower)
                DoubleVector r2 = r.mul(r), r4 = r2.mul(r2), r8 = r4.mul(r4);
                DoubleVector a0 = E1.fma(r, E0), a1 = E3.fma(r, E2), a2 = E5.fma(r, E4), a3 = E7.fma(r, E6);
                DoubleVector a4 = E9.fma(r, E8), a5 = E11.fma(r, E10), a6 = E13.fma(r, E12);
                DoubleVector b0 = a1.fma(r2, a0), b1 = a3.fma(r2, a2), b2 = a5.fma(r2, a4);
                DoubleVector e = a6.fma(r4, b2).fma(r8, b1.fma(r4, b0));
                DoubleVector scale = ((LongVector) kb.reinterpretAsLongs()).add(1023L)
                        .lanewise(VectorOperators.LSHL, 52L).reinterpretAsDoubles();
                e = e.mul(scale);
                VectorMask<Double> pos = z.compare(VectorOperators.GT, 0.0);
                DoubleVector ny = yv.neg();
                ny.blend(ny.mul(e), pos).div(e.add(1.0)).intoArray(deriv, k);
                if (loss == null) continue;
                // log1p(e), e in (0, 1]
                VectorMask<Double> big = e.compare(VectorOperators.GT, LogisticMath.SQRT2_M1);
                DoubleVector a = e.blend(e.sub(1.0).mul(0.5), big);
                DoubleVector s = a.div(a.add(2.0));
                DoubleVector zz = s.mul(s);
                DoubleVector z2 = zz.mul(zz), z4 = z2.mul(z2), z8 = z4.mul(z4);
                DoubleVector p0 = P1.fma(zz, P0), p1 = P3.fma(zz, P2), p2 = P5.fma(zz, P4), p3 = P7.fma(zz, P6);
                DoubleVector p4 = P9.fma(zz, P8);
                DoubleVector q0 = p1.fma(z2, p0), q1 = p3.fma(z2, p2), q2 = P10.fma(z2, p4);
                DoubleVector q = q2.fma(z8, q1.fma(z4, q0));
                DoubleVector l = s.fma(zz.mul(q), s.mul(2.0));
                l = l.blend(l.add(LogisticMath.LN2_LO).add(LogisticMath.LN2_HI), big);
                z.neg().blend(0.0, pos).add(l).intoArray(loss, k);
            }
        }
        for (; k < n; k++) LogisticMath.term(m[k], y[k], deriv, loss, k);
    }

    /**
     * The scalar twin's loop: C2 vectorises it (with a run-time check that a and b do not
     * overlap), and an explicit vector loop was measured no faster at any size
     * (docs/benchmarks.md section 1).
     */
    @Override public void average2(double[] a, double[] b, int from, int to) {
        ScalarKernels.INSTANCE.average2(a, b, from, to);
    }

    @Override public void scale(double alpha, double[] x, int off, int n) {
        if (n < scaleVectorMin || n < 2 * L) ScalarKernels.INSTANCE.scale(alpha, x, off, n);
        else scaleVector(alpha, x, off, n);
    }

    private static void scaleVector(double alpha, double[] x, int off, int n) {
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int k = 0;
        for (int bound = n - 4 * L; k <= bound; k += 4 * L) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, off + k);
            DoubleVector x1 = DoubleVector.fromArray(S, x, off + k + L);
            DoubleVector x2 = DoubleVector.fromArray(S, x, off + k + 2 * L);
            DoubleVector x3 = DoubleVector.fromArray(S, x, off + k + 3 * L);
            x0.mul(va).intoArray(x, off + k);
            x1.mul(va).intoArray(x, off + k + L);
            x2.mul(va).intoArray(x, off + k + 2 * L);
            x3.mul(va).intoArray(x, off + k + 3 * L);
        }
        for (int bound = S.loopBound(n); k < bound; k += L) {
            DoubleVector.fromArray(S, x, off + k).mul(va).intoArray(x, off + k);
        }
        for (; k < n; k++) x[off + k] *= alpha;
    }

    @Override public double sparseDot(double[] values, int[] indices, int off, int nnz, double[] w) {
        return nnz < gatherMin ? ScalarKernels.INSTANCE.sparseDot(values, indices, off, nnz, w)
                                          : sparseDotGather(values, indices, off, nnz, w);
    }

    private static double sparseDotGather(double[] values, int[] indices, int off, int nnz, double[] w) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0;
        int k = 0;
        for (int bound = nnz - 2 * L; k <= bound; k += 2 * L) {
            s0 = DoubleVector.fromArray(S, values, off + k)
                    .fma(DoubleVector.fromArray(S, w, 0, indices, off + k), s0);
            s1 = DoubleVector.fromArray(S, values, off + k + L)
                    .fma(DoubleVector.fromArray(S, w, 0, indices, off + k + L), s1);
        }
        for (int bound = S.loopBound(nnz); k < bound; k += L) {
            s0 = DoubleVector.fromArray(S, values, off + k)
                    .fma(DoubleVector.fromArray(S, w, 0, indices, off + k), s0);
        }
        double s = sumLanes(s0.add(s1));
        for (; k < nnz; k++) s += values[off + k] * w[indices[off + k]];
        return s;
    }

    @Override public void sparseAxpy(double alpha, double[] values, int[] indices, int off, int nnz, double[] w) {
        if (nnz < gatherMin) ScalarKernels.INSTANCE.sparseAxpy(alpha, values, indices, off, nnz, w);
        else sparseAxpyScatter(alpha, values, indices, off, nnz, w);
    }

    private static void sparseAxpyScatter(double alpha, double[] values, int[] indices, int off, int nnz, double[] w) {
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int k = 0;
        for (int bound = S.loopBound(nnz); k < bound; k += L) {
            DoubleVector.fromArray(S, values, off + k)
                    .fma(va, DoubleVector.fromArray(S, w, 0, indices, off + k))
                    .intoArray(w, 0, indices, off + k);
        }
        for (; k < nnz; k++) w[indices[off + k]] += alpha * values[off + k];
    }
}
