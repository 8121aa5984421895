package dev.warthog.shared;

/**
 * Per-worker local copies of the parameters (for the averaging families): replica i is
 * written only by worker i between barriers and read by others only after one. Each replica
 * is its own array with a cache line of slack at both ends, so two workers never write the
 * same line.
 */
public final class Replicas {
    /** Doubles of slack before and after each replica (one 64-byte line). */
    public static final int PAD = 8;
    private final double[][] arrays;
    private final int dim;

    public Replicas(int workers, int dim) {
        this.dim = dim;
        this.arrays = new double[workers][];
        for (int i = 0; i < workers; i++) arrays[i] = new double[dim + 2 * PAD];
    }

    public int workers() { return arrays.length; }
    public int dim() { return dim; }
    /** Worker i's backing array; its values live at [PAD, PAD + dim). */
    public double[] array(int i) { return arrays[i]; }
    public int offset() { return PAD; }

    /** Sets every replica to {@code w}. */
    public void broadcast(double[] w) {
        for (double[] a : arrays) System.arraycopy(w, 0, a, PAD, dim);
    }

    /** Copies replica i into {@code out}. */
    public void copyTo(int i, double[] out) { System.arraycopy(arrays[i], PAD, out, 0, dim); }
}
