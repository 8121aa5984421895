package dev.warthog.averaging;

import dev.warthog.data.Dataset;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.Team;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;

/**
 * One averaging round of the family's runtime in isolation, for the benchmark of the
 * performance target (a round at 2 threads costs at most 1.3x copying the replicas once):
 * M replicas of d coordinates on T threads, {@link #round()} = the region (two barrier
 * crossings) that adds them by the fixed tree and writes the average back to all of them.
 */
public final class AveragingRound implements AutoCloseable {
    private final ReplicaWorkers rw;

    private AveragingRound(ReplicaWorkers rw) { this.rw = rw; }

    /** M replicas of {@code dim} coordinates, executed by {@code threads} threads. */
    public static AveragingRound open(int replicas, int threads, int dim, Team.Wait barrier) {
        // a two-row stub problem of the right dimension: only the replicas matter here
        Dataset stub = Dataset.sparse(2, dim, new int[] {0, 1, 2}, new int[] {0, dim - 1}, new double[] {1, 1},
                new double[] {-1, 1}, "stub");
        Problem p = Problem.of(stub, Loss.LOGISTIC, 0, 0);
        return new AveragingRound(new ReplicaWorkers(p, new ReplicaWorkers.Config(replicas, threads, barrier, 1, 1,
                Shares.equal(replicas), Stragglers.NONE, 0, 0)));
    }

    /** Barrier + average + write-back. */
    public void round() { rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0); }

    /** The averaged model (replica 0). */
    public double[] model() { return rw.model(); }

    @Override public void close() { rw.close(); }
}
