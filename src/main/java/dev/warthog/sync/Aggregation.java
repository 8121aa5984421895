package dev.warthog.sync;

import dev.warthog.engine.Team;
import dev.warthog.objective.Blocks;

import java.util.Locale;

/**
 * How the workers' partial gradient sums are combined into one, in shared memory. All
 * three add the same pairs in the same order ({@link Blocks#treeReduce}), so they give the
 * same bits; they differ in who does the work and how many barriers it costs:
 * <ul>
 *   <li>{@link #SERVER}: the parameter server (the calling thread) adds all B parts alone,
 *       while the workers wait: B d additions on one core, no extra barrier;</li>
 *   <li>{@link #SLICED}: every worker reduces a 1/W slice of the coordinates over all B parts,
 *       the reduce-scatter of seed 004 section 1.3.3 (the all-gather is free in shared
 *       memory: the result is one array): B d / W additions per worker, one region;</li>
 *   <li>{@link #TREE}: the tree's levels run one after another, each level's pairs split
 *       over the workers: log2 B regions (two barrier crossings each).</li>
 * </ul>
 * Inside the synchronous full gradient ({@link ParallelGradient}, {@link #reduceAcross}) SLICED and
 * TREE first let each worker add its own blocks' partials, the subtrees of the fixed tree that
 * lie within its blocks, in its own cache: only W partials, one per worker, then cross the
 * cores (the nodes whose blocks straddle two workers' ranges: one at W = 2 with B a power of
 * two, at most (W - 1) log2 B; one region for SLICED, one per level with such a node for TREE).
 */
public enum Aggregation {
    SERVER("server"), SLICED("sliced"), TREE("tree");

    private final String cliName;

    Aggregation(String n) { this.cliName = n; }

    public String cliName() { return cliName; }

    public static Aggregation parse(String s) {
        for (Aggregation a : values()) if (a.cliName.equals(s)) return a;
        throw new IllegalArgumentException("unknown aggregation '" + s + "': expected server, sliced or tree");
    }

    /**
     * Like {@link #reduce}, after every worker k has already run the tree's nodes inside its own
     * blocks [bounds[k], bounds[k+1]) ({@link Blocks#treeReduceInside}) where this aggregation
     * pre-combines ({@link #precombines()}): what is left are the nodes {@code across} lists
     * ({@link Blocks.Nodes#across} of the same bounds). {@link #SERVER} never pre-combines: the
     * server adds all B parts.
     */
    public double[] reduceAcross(Team team, double[][] parts, int count, int dim, Blocks.Nodes across) {
        if (across.parts() != count) throw new IllegalArgumentException("nodes of a tree over " + across.parts() + " parts, not " + count);
        if (!precombines()) return reduce(team, parts, count, dim);
        int w = team.size();
        if (count <= 1 || w == 1) return parts[0];
        if (this == SLICED) {
            team.run(id -> across.reduce(parts, slice(id, w, dim), slice(id + 1, w, dim)));
            return parts[0];
        }
        return treeLevels(team, parts, dim, across);
    }

    /** Whether the workers first add their own blocks' partials ({@link #SLICED} and {@link #TREE}). */
    public boolean precombines() { return this != SERVER; }

    /** Coordinates per slice are rounded to this many doubles (one cache line), so two workers never write one line. */
    private static final int LINE = 8;

    /**
     * Combines parts[0..count) over coordinates [0, dim) and returns the array holding the
     * sum (parts[0]). Called by the team's caller between regions; the others parts are
     * overwritten.
     */
    public double[] reduce(Team team, double[][] parts, int count, int dim) {
        return reduce(team, parts, count, dim, null);
    }

    /**
     * {@link #reduce(Team, double[][], int, int)} with the tree's nodes computed once by the
     * caller ({@link Blocks.Nodes#all} of {@code count}; null: computed here when {@link #TREE} needs them).
     */
    public double[] reduce(Team team, double[][] parts, int count, int dim, Blocks.Nodes all) {
        if (all != null && all.parts() != count) throw new IllegalArgumentException("nodes of a tree over " + all.parts() + " parts, not " + count);
        if (count <= 1) return parts[0];
        int w = team == null ? 1 : team.size();
        if (this == SERVER || w == 1) {
            Blocks.treeReduce(parts, count, 0, dim);
            return parts[0];
        }
        if (this == SLICED) {
            team.run(id -> {
                int a = slice(id, w, dim), b = slice(id + 1, w, dim);
                Blocks.treeReduce(parts, count, a, b);
            });
            return parts[0];
        }
        return treeLevels(team, parts, dim, all == null ? Blocks.Nodes.all(count) : all);
    }

    /**
     * {@link #TREE}: the levels of {@code nodes} one after another, a region per level that
     * lists any, each level's pairs (and, when there are fewer pairs than workers, their
     * coordinates) dealt to the workers.
     */
    private static double[] treeLevels(Team team, double[][] parts, int dim, Blocks.Nodes nodes) {
        int w = team.size();
        for (int l = 0; l < nodes.levels(); l++) {
            final int level = l, s = 1 << l, pairs = nodes.count(l);
            if (pairs == 0) continue;                           // a level done inside the workers
            int chunks = Math.max(1, (w + pairs - 1) / pairs);  // few pairs: split each pair's coordinates
            int tasks = pairs * chunks;
            team.run(id -> {
                for (int t = id; t < tasks; t += w) {
                    int i = nodes.start(level, t / chunks), c = t % chunks;
                    Blocks.addInto(parts[i], parts[i + s], slice(c, chunks, dim), slice(c + 1, chunks, dim));
                }
            });
        }
        return parts[0];
    }

    /** Start of slice k of {@code of} over [0, dim), on cache-line boundaries. */
    static int slice(int k, int of, int dim) {
        if (k >= of) return dim;
        long lines = (dim + LINE - 1) / LINE;
        return (int) Math.min(dim, lines * k / of * LINE);
    }

    @Override public String toString() { return cliName.toUpperCase(Locale.ROOT); }
}
