package dev.warthog.objective;

/**
 * The fixed row blocks of a deterministic full-gradient sum. The rows are cut into B
 * contiguous blocks whose number depends only on the data's shape, never on the thread
 * count; each block's partial sum is accumulated in row order, and the B partial sums are
 * combined by one fixed pairwise tree ({@link #treeReduce}). Whoever computes a block, and
 * whoever adds a pair, the floating-point operations are the same ones in the same order,
 * so the result is bit-identical for any number of threads and for the serial solver.
 *
 * <p>The tree: at level l = 0, 1, ..., parts i and i + 2^l are added into i for every i
 * that is a multiple of 2^(l+1) with i + 2^l < B; the sum ends in part 0. (Pairwise
 * summation also has a smaller rounding error than a left-to-right sum of the blocks.)
 */
public final class Blocks {
    private Blocks() {}

    /** Most blocks: enough for 64 threads; more would only add reduction work. */
    public static final int MAX_BLOCKS = 64;

    /**
     * The default number of blocks for {@code rows} rows of {@code cols} features holding
     * {@code nnz} non-zeros: at most {@link #MAX_BLOCKS} and {@code rows}, and few enough
     * that reducing B d-sized partial sums costs at most half a pass over the data
     * (B d <= nnz / 2), which matters for sparse data with many features.
     */
    public static int defaultCount(int rows, int cols, long nnz) {
        long byCost = Math.max(1, nnz / (2L * Math.max(1, cols)));
        return (int) Math.max(1, Math.min(Math.min(MAX_BLOCKS, rows), byCost));
    }

    /** First row of block {@code b} of {@code count} over {@code rows} rows (block b is [start(b), start(b+1))). */
    public static int start(int b, int count, int rows) { return (int) ((long) rows * b / count); }

    /**
     * Adds parts[0..count) by the fixed pairwise tree over coordinates [from, to); the sum
     * ends in parts[0][from..to). The other parts are overwritten.
     */
    public static void treeReduce(double[][] parts, int count, int from, int to) {
        for (int step = 1; step < count; step <<= 1)
            for (int i = 0; i + step < count; i += step << 1)
                addInto(parts[i], parts[i + step], from, to);
    }

    /** The same tree over scalars (the blocks' loss sums); {@code x} is overwritten. */
    public static double treeSum(double[] x, int count) {
        for (int step = 1; step < count; step <<= 1)
            for (int i = 0; i + step < count; i += step << 1)
                x[i] += x[i + step];
        return count == 0 ? 0.0 : x[0];
    }

    /**
     * The nodes of {@link #treeReduce} that lie inside blocks [lo, hi): node (i, step) adds
     * parts[i + step] into parts[i] and covers blocks [i, min(i + 2 step, count)). A worker that
     * owns blocks [lo, hi) runs these on its own partials, in its own cache, before the
     * aggregation; the nodes {@link Nodes#across} lists then do the rest. Together they add the same
     * pairs in an order every coordinate's additions respect (a node after its children), so
     * the sum has the bits of {@link #treeReduce}.
     */
    public static void treeReduceInside(double[][] parts, int count, int lo, int hi, int from, int to) {
        for (int step = 1; step < count; step <<= 1) {
            int first = (lo + 2 * step - 1) / (2 * step) * (2 * step);   // the first node start >= lo
            for (int i = first; i + step < count && Math.min(i + 2 * step, count) <= hi; i += step << 1)
                addInto(parts[i], parts[i + step], from, to);
        }
    }

    /**
     * Nodes of the fixed tree, level by level: every node ({@link #all}), or only those that
     * {@link #treeReduceInside} leaves out for fixed worker ranges ({@link #across}). Computed
     * once per team, so the reductions that walk them allocate nothing.
     */
    public static final class Nodes {
        private final int[][] starts;   // starts[l]: the i of the listed nodes (i, 2^l), ascending
        private final int size, parts;

        private Nodes(int count, int[] bounds) {
            this.parts = count;
            int levels = 0;
            for (int step = 1; step < count; step <<= 1) levels++;
            starts = new int[levels][];
            int n = 0, l = 0;
            int[] buf = new int[Math.max(1, count)];
            for (int step = 1; step < count; step <<= 1, l++) {
                int k = 0;
                for (int i = 0; i + step < count; i += step << 1)
                    if (bounds == null || crosses(i, Math.min(i + 2 * step, count), bounds)) buf[k++] = i;
                starts[l] = java.util.Arrays.copyOf(buf, k);
                n += k;
            }
            size = n;
        }

        /** Every node of the tree over {@code count} parts. */
        public static Nodes all(int count) { return new Nodes(count, null); }

        /**
         * The nodes whose blocks cross a boundary of the ranges [bounds[k], bounds[k+1])
         * (bounds ascending, bounds[0] = 0, last = count): a boundary lies in at most one node
         * per level, so at most (ranges - 1) log2 count of them.
         */
        public static Nodes across(int count, int[] bounds) { return new Nodes(count, bounds); }

        /** How many nodes are listed. */
        public int size() { return size; }
        /** The number of parts (blocks) of the tree these nodes belong to. */
        public int parts() { return parts; }
        /** Levels of the tree (ceil(log2 count)); level l's nodes add parts i + 2^l into i. */
        public int levels() { return starts.length; }
        /** How many nodes level {@code l} lists. */
        public int count(int level) { return starts[level].length; }
        /** The i of node {@code k} of level {@code l}. */
        public int start(int level, int k) { return starts[level][k]; }

        /** Adds the listed nodes, level by level, over coordinates [from, to). */
        public void reduce(double[][] parts, int from, int to) {
            for (int l = 0, step = 1; l < starts.length; l++, step <<= 1)
                for (int i : starts[l]) addInto(parts[i], parts[i + step], from, to);
        }
    }

    /** Whether blocks [i, end) straddle one of the inner boundaries bounds[1 .. length-2]. */
    private static boolean crosses(int i, int end, int[] bounds) {
        for (int k = 1; k < bounds.length - 1; k++) if (i < bounds[k] && bounds[k] < end) return true;
        return false;
    }

    /** One tree node: a[j] += b[j] for j in [from, to). */
    public static void addInto(double[] a, double[] b, int from, int to) {
        for (int j = from; j < to; j++) a[j] += b[j];
    }
}
