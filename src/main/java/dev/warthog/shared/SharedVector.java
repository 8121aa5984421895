package dev.warthog.shared;

import dev.warthog.data.Row;
import dev.warthog.kernel.Kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A parameter vector w over one {@code double[]}, shared by worker threads without locks on
 * the hot path (except in the {@link AccessMode#STRIPED} and {@link AccessMode#LOCKED}
 * baselines). Element access goes through {@link MethodHandles#arrayElementVarHandle}; the
 * memory ordering is in each method's name.
 *
 * <p>The row-level operations are what an algorithm's step uses: {@link #dotRow} reads
 * x_i.w, {@link #sgdUpdateRow} writes w_j <- w_j - eta (d x_ij + c_j w_j) on the row's
 * support (with eta c_j capped at 1). Each mode implements them with its own ordering; {@link #lockRow}/
 * {@link #unlockRow} bracket a read-and-update so that the lock modes make it atomic.
 */
public abstract sealed class SharedVector
        permits SharedVector.Plain, SharedVector.Opaque, SharedVector.Atomic, SharedVector.Striped, SharedVector.Locked {
    /** Element handle of {@code double[]}. */
    protected static final VarHandle AA = MethodHandles.arrayElementVarHandle(double[].class);

    protected final double[] w;

    protected SharedVector(double[] w) { this.w = w; }

    /** A shared vector of dimension d, all zeros. */
    public static SharedVector create(AccessMode mode, int d) { return wrap(mode, new double[d]); }

    /** A shared vector over {@code w} (not copied). */
    public static SharedVector wrap(AccessMode mode, double[] w) {
        return switch (mode) {
            case PLAIN -> new Plain(w);
            case OPAQUE -> new Opaque(w);
            case ATOMIC -> new Atomic(w);
            case STRIPED -> new Striped(w, Striped.DEFAULT_BLOCK);
            case LOCKED -> new Locked(w);
        };
    }

    public abstract AccessMode mode();

    public int dim() { return w.length; }

    /** The backing array: only for single-threaded phases (evaluation while workers wait at a barrier). */
    public double[] array() { return w; }

    public double getPlain(int j) { return w[j]; }
    public double getOpaque(int j) { return (double) AA.getOpaque(w, j); }
    public double getAcquire(int j) { return (double) AA.getAcquire(w, j); }
    public void setPlain(int j, double v) { w[j] = v; }
    public void setOpaque(int j, double v) { AA.setOpaque(w, j, v); }
    public void setRelease(int j, double v) { AA.setRelease(w, j, v); }

    /** w_j += delta with a CAS loop on the value's bits: never loses an update. Returns the new value. */
    public double addAtomic(int j, double delta) {
        double old = (double) AA.getOpaque(w, j);
        while (true) {
            double nv = old + delta;
            double witness = (double) AA.compareAndExchange(w, j, old, nv);
            // compareAndExchange compares bit patterns, so NaN and -0.0 do not spin forever
            if (Double.doubleToRawLongBits(witness) == Double.doubleToRawLongBits(old)) return nv;
            old = witness;
        }
    }

    /** w_j += delta as an opaque load then an opaque store: lossy under races, never torn. */
    public void addOpaque(int j, double delta) { AA.setOpaque(w, j, (double) AA.getOpaque(w, j) + delta); }

    /** w_j += delta with plain accesses (the original Hogwild! update). */
    public void addPlain(int j, double delta) { w[j] += delta; }

    /** Copies the current values into {@code out} with opaque loads. */
    public void snapshotOpaque(double[] out) {
        for (int j = 0; j < w.length; j++) out[j] = (double) AA.getOpaque(w, j);
    }

    /** x_i . w read with this mode's load. */
    public abstract double dotRow(Row r);

    /**
     * For k in the row's support (column j): w_j <- w_j - eta d x_ij - min(eta c_j, 1) w_j,
     * with this mode's read-modify-write; {@code c} may be null (no shrink). The cap keeps a
     * shrink from overshooting zero when a rare feature's c_j is large. One read-modify-write
     * per coordinate, so the loss and penalty parts of a step are lost (or kept) together.
     */
    public abstract void sgdUpdateRow(Row r, double eta, double d, double[] c);

    /** Takes what this mode needs to make a read-and-update of row r atomic (nothing for lock-free modes). */
    public void lockRow(Row r) {}

    /** Releases what {@link #lockRow} took. */
    public void unlockRow(Row r) {}

    // ---------------------------------------------------------------- modes

    /** Plain loads and stores; the dense and sparse kernels run directly on the array. */
    public static final class Plain extends SharedVector {
        Plain(double[] w) { super(w); }
        @Override public AccessMode mode() { return AccessMode.PLAIN; }
        @Override public double dotRow(Row r) { return Kernels.dot(r, w); }
        @Override public void sgdUpdateRow(Row r, double eta, double d, double[] c) {
            PLAIN_UPDATE.sgdUpdate(w, r, eta, d, c);
        }
    }

    /** Opaque loads and stores. */
    public static final class Opaque extends SharedVector {
        Opaque(double[] w) { super(w); }
        @Override public AccessMode mode() { return AccessMode.OPAQUE; }
        @Override public double dotRow(Row r) { return dotOpaque(w, r); }
        @Override public void sgdUpdateRow(Row r, double eta, double d, double[] c) {
            double[] x = r.values;
            int[] idx = r.indices;
            for (int k = 0, o = r.offset; k < r.nnz; k++) {
                int j = idx == null ? k : idx[o + k];
                double wj = (double) AA.getOpaque(w, j);
                AA.setOpaque(w, j, wj - eta * d * x[o + k] - (c == null ? 0 : shrink(eta, c[j]) * wj));
            }
        }
    }

    /** Opaque loads, and a CAS loop per coordinate update. */
    public static final class Atomic extends SharedVector {
        Atomic(double[] w) { super(w); }
        @Override public AccessMode mode() { return AccessMode.ATOMIC; }
        @Override public double dotRow(Row r) { return dotOpaque(w, r); }
        @Override public void sgdUpdateRow(Row r, double eta, double d, double[] c) {
            double[] x = r.values;
            int[] idx = r.indices;
            for (int k = 0, o = r.offset; k < r.nnz; k++) {
                int j = idx == null ? k : idx[o + k];
                double step = eta * d * x[o + k], sj = c == null ? 0 : shrink(eta, c[j]);
                double old = (double) AA.getOpaque(w, j);
                while (true) {
                    double nv = old - step - sj * old;
                    double witness = (double) AA.compareAndExchange(w, j, old, nv);
                    if (Double.doubleToRawLongBits(witness) == Double.doubleToRawLongBits(old)) break;
                    old = witness;
                }
            }
        }
    }

    /** Plain accesses under a spin lock per block of {@code block} coordinates. */
    public static final class Striped extends SharedVector {
        static final int DEFAULT_BLOCK = 64;
        private final SpinLocks locks;
        private final int shift;

        Striped(double[] w, int block) {
            super(w);
            if (Integer.bitCount(block) != 1) throw new IllegalArgumentException("block must be a power of two");
            this.shift = Integer.numberOfTrailingZeros(block);
            this.locks = new SpinLocks((w.length >>> shift) + 1);
        }
        @Override public AccessMode mode() { return AccessMode.STRIPED; }
        @Override public double dotRow(Row r) { return Kernels.dot(r, w); }
        @Override public void sgdUpdateRow(Row r, double eta, double d, double[] c) {
            PLAIN_UPDATE.sgdUpdate(w, r, eta, d, c);
        }
        /** Locks the blocks of the row's support in increasing order (no deadlock between rows). */
        @Override public void lockRow(Row r) {
            int prev = -1;
            for (int k = 0; k < r.nnz; k++) {
                int b = r.column(k) >>> shift;
                if (b != prev) { locks.lock(b); prev = b; }
            }
        }
        @Override public void unlockRow(Row r) {
            int prev = -1;
            for (int k = 0; k < r.nnz; k++) {
                int b = r.column(k) >>> shift;
                if (b != prev) { locks.unlock(b); prev = b; }
            }
        }
    }

    /** Plain accesses under one lock for the whole vector. */
    public static final class Locked extends SharedVector {
        private final SpinLocks lock = new SpinLocks(1);
        Locked(double[] w) { super(w); }
        @Override public AccessMode mode() { return AccessMode.LOCKED; }
        @Override public double dotRow(Row r) { return Kernels.dot(r, w); }
        @Override public void sgdUpdateRow(Row r, double eta, double d, double[] c) {
            PLAIN_UPDATE.sgdUpdate(w, r, eta, d, c);
        }
        @Override public void lockRow(Row r) { lock.lock(0); }
        @Override public void unlockRow(Row r) { lock.unlock(0); }
    }

    private static final PlainUpdate PLAIN_UPDATE = new PlainUpdate();

    /** x_i . w with an opaque load per coordinate (no torn or never-written values). */
    static double dotOpaque(double[] w, Row r) {
        double s = 0;
        double[] x = r.values;
        int[] idx = r.indices;
        for (int k = 0, o = r.offset; k < r.nnz; k++)
            s += x[o + k] * (double) AA.getOpaque(w, idx == null ? k : idx[o + k]);
        return s;
    }

    /** min(eta c_j, 1): the fraction of w_j a step's penalty removes. */
    static double shrink(double eta, double cj) {
        double s = eta * cj;
        return s < 1 ? s : 1;
    }

    /** The plain update shared by the modes whose exclusion comes from locks. */
    private static final class PlainUpdate {
        void sgdUpdate(double[] w, Row r, double eta, double d, double[] c) {
            if (c == null) { Kernels.axpy(-eta * d, r, w); return; }
            double[] x = r.values;
            int[] idx = r.indices;
            for (int k = 0, o = r.offset; k < r.nnz; k++) {
                int j = idx == null ? k : idx[o + k];
                double wj = w[j];
                w[j] = wj - eta * d * x[o + k] - shrink(eta, c[j]) * wj;
            }
        }
    }
}
