package dev.warthog.engine;

import dev.warthog.objective.Blocks;
import dev.warthog.sync.Aggregation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

class TeamTest {
    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void everyWorkerRunsEveryRegionAndSeesTheCallersWrites(Team.Wait wait) {
        for (int w = 1; w <= 4; w++) {
            long[] box = new long[1];
            AtomicIntegerArray seen = new AtomicIntegerArray(w);
            try (Team team = Team.start(w, wait)) {
                for (int r = 1; r <= 500; r++) {
                    box[0] = r;   // plain write by the caller between regions
                    final int round = r;
                    team.run(id -> { if (box[0] == round) seen.incrementAndGet(id); });
                }
            }
            for (int i = 0; i < w; i++) assertEquals(500, seen.get(i), "worker " + i + " of " + w);
        }
    }

    @ParameterizedTest
    @EnumSource(Team.Wait.class)
    void aFailingWorkerEndsTheRegionWithItsException(Team.Wait wait) {
        try (Team team = Team.start(3, wait)) {
            team.run(id -> {});
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> team.run(id -> {
                if (id == 2) throw new IllegalStateException("boom");
                while (!team.stopRequested()) Thread.onSpinWait();
            }));
            assertEquals(2, e.worker());
            assertEquals("boom", e.getCause().getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Aggregation.class)
    void aggregationsGiveTheSerialTreeBitForBit(Aggregation agg) {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int count : new int[]{1, 2, 3, 5, 8, 13, 64}) {
            for (int dim : new int[]{1, 7, 33, 1000}) {
                double[][] ref = new double[count][dim];
                for (double[] p : ref) for (int j = 0; j < dim; j++) p[j] = rnd.nextDouble(-1e3, 1e3) * Math.pow(10, rnd.nextInt(-8, 8));
                double[][] want = deepCopy(ref);
                Blocks.treeReduce(want, count, 0, dim);
                for (int w = 1; w <= 4; w++) {
                    double[][] parts = deepCopy(ref);
                    double[] got;
                    try (Team team = Team.start(w, Team.Wait.SPIN)) { got = agg.reduce(team, parts, count, dim); }
                    for (int j = 0; j < dim; j++)
                        assertEquals(Double.doubleToRawLongBits(want[0][j]), Double.doubleToRawLongBits(got[j]),
                                agg + " count " + count + " dim " + dim + " threads " + w + " coord " + j);
                }
            }
        }
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] b = new double[a.length][];
        for (int i = 0; i < a.length; i++) b[i] = a[i].clone();
        return b;
    }
}
