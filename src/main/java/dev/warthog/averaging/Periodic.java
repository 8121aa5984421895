package dev.warthog.averaging;

import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.trace.Tracker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PASGD loop of seed 003 eq. (1), shared by {@link LocalSgd} (fixed tau) and
 * {@link AdaComm} (tau and eta chosen per interval): periods of tau local steps on every
 * replica, each followed by an averaging round (plain or block momentum), until the epoch
 * budget (K local steps per epoch, see {@link Settings}) is spent or the tracker stops the
 * run. The last period is cut short to end exactly at the budget. The global model is
 * recorded at the first period end of every epoch.
 */
final class Periodic {
    private Periodic() {}

    /** Chooses each period's length and the local step sizes. */
    abstract static class Controller {
        /** Called once the replicas exist, before the clock starts. */
        void begin(ReplicaWorkers rw) {}
        /** Length of the next period. */
        abstract int tau();
        /**
         * True when tau never changes and {@link #periodEnd} does nothing, so the periods up to
         * the next epoch end can run in one region ({@link ReplicaWorkers#sparsePeriods}).
         */
        boolean fixedPeriods() { return false; }
        /** Step size of local step k. */
        abstract double eta(long k);
        /** After the averaging that ends a period; {@code k} local steps done, {@code seconds} of training. */
        void periodEnd(ReplicaWorkers rw, long k, double seconds) {}
        /** Algorithm-specific extras. */
        void extras(Map<String, Object> out) {}
    }

    static Result run(String name, Problem p, Tracker tracker, Settings<?> s, Controller c, double blockMomentum) {
        ReplicaWorkers.Config cfg = s.config();
        long perEpoch = s.stepsPerEpoch(p);
        long budget = perEpoch * s.epochs;
        int epochs = 0;
        try (ReplicaWorkers rw = new ReplicaWorkers(p, cfg)) {
            rw.hook = s.hook;
            // plain averaging: O(touched) rounds on sparse data (block momentum keeps dense state)
            if (blockMomentum == 0) rw.sparseRounds(s.sparseRounds);
            c.begin(rw);
            rw.beginPacers();
            tracker.start();
            boolean stop = tracker.record(0, rw.model());
            long k = 0;
            boolean fuse = blockMomentum == 0 && c.fixedPeriods() && s.fusePeriods && rw.canFusePeriods();
            while (!stop && k < budget) {
                if (fuse) {
                    // the periods up to the first one that ends in the next epoch, in one region
                    int tau = c.tau(), periods = 0, last = tau;
                    for (long kk = k; kk < budget; ) {
                        last = (int) Math.min(tau, budget - kk);
                        kk += last;
                        periods++;
                        if (kk / perEpoch > epochs) break;
                    }
                    k += rw.sparsePeriods(periods, tau, last, k, c::eta);
                    if (!rw.finite()) break;
                    int e = (int) (k / perEpoch);
                    if (e > epochs) { epochs = e; stop = tracker.record(e, rw.model()); }
                    continue;
                }
                int steps = (int) Math.min(c.tau(), budget - k);
                double etaPeriod = c.eta(k);
                rw.localSteps(steps, k, c::eta, false);
                k += steps;
                if (blockMomentum > 0) rw.average(ReplicaWorkers.Combine.BLOCK_MOMENTUM, etaPeriod, blockMomentum);
                else rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                if (!rw.finite()) break;
                c.periodEnd(rw, k, tracker.trainSeconds());
                int e = (int) (k / perEpoch);
                if (e > epochs) { epochs = e; stop = tracker.record(e, rw.model()); }
            }
            tracker.finish();
            double[] w = rw.model().clone();
            Map<String, Object> extras = new LinkedHashMap<>();
            standardExtras(rw, tracker, extras, cfg, s.batch);
            extras.put("blockMomentum", blockMomentum);
            c.extras(extras);
            return new Result(name, p, w, tracker.trace(), tracker.trainSeconds(), epochs, rw.localSteps * s.batch,
                    rw.threads(), extras);
        }
    }

    static void standardExtras(ReplicaWorkers rw, Tracker tracker, Map<String, Object> extras, ReplicaWorkers.Config cfg, int batch) {
        extras.put("iterations", (int) rw.rounds);
        extras.put("computeSeconds", rw.computeNanos * 1e-9);
        extras.put("aggregateSeconds", rw.aggregateNanos * 1e-9);
        extras.put("commSeconds", rw.commNanos * 1e-9);
        extras.put("barrierSeconds", rw.barrierSeconds());
        extras.put("workerComputeSeconds", rw.workerComputeSeconds());
        extras.put("workerBarrierSeconds", rw.workerBarrierSeconds());
        extras.put("localSteps", rw.localSteps);
        double secs = tracker.trainSeconds();
        extras.put("updatesPerSecond", secs > 0 ? rw.localSteps / secs : 0.0);
        extras.put("workers", rw.workers());
        extras.put("batch", batch);
        extras.put("shares", cfg.shares().toString());
        extras.put("barrier", cfg.barrier().cliName());
        extras.put("commDelayMs", cfg.commDelayMs());
        extras.put("localMomentum", cfg.localMomentum());
        extras.put("pacedSeconds", rw.pacedNanos() * 1e-9);
        extras.put("sparseRounds", rw.sparseRoundsDone);
        extras.put("oneRegionRounds", rw.oneRegionRounds);
    }

    static boolean allFinite(double[] w) {
        for (double x : w) if (!Double.isFinite(x)) return false;
        return true;
    }
}
