package dev.warthog.averaging;

import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Solver;
import dev.warthog.trace.Tracker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Federated Averaging as in seed 000 section 4.1. Each round: the server's w is broadcast
 * (every replica holds it); worker k runs q local steps from w on its share, giving
 * w~_k; the server forms p = (1/m) sum_k (w - w~_k) (added by the fixed pairwise tree) and
 * sets w <- w - alpha_t p. With q = 1 and alpha = 1 this is one synchronous
 * model-averaging step (parallel GD or SGD).
 * <ul>
 *   <li>Local steps: full gradient steps on the worker's share (local GD, the default:
 *       {@code batch} not set) or mini-batch SGD steps of b rows ({@link ReplicaWorkers}'s
 *       sampling); constant local step eta (default (1 - mu)/L_max).</li>
 *   <li>Server step: alpha_e = alpha_0 decay^e in epoch e (alpha_0 = {@code serverStep},
 *       default 1; {@code decay} default 1, i.e. constant; the seed "decreases alpha": pass
 *       a decay below 1).</li>
 *   <li>Epochs: with local GD one round is one epoch (each round makes q passes over the
 *       data); with SGD an epoch is ceil(K / q) rounds, K = ceil(n / (m b)).</li>
 * </ul>
 */
public final class FedAvg implements Solver {
    private final Builder b;

    private FedAvg(Builder b) { this.b = b; }

    public static Builder builder() { return new Builder(); }

    @Override public String name() { return "fedavg"; }

    @Override
    public Result solve(Problem p, Tracker tracker) {
        final double eta = b.initialStep(p, name());
        final boolean gd = !b.sgd;
        final int q = b.localSteps;
        final long roundsPerEpoch = gd ? 1 : Math.max(1, (b.stepsPerEpoch(p) + q - 1) / q);
        final long budget = roundsPerEpoch * b.epochs;
        ReplicaWorkers.Config cfg = b.config();
        int epochs = 0;
        try (ReplicaWorkers rw = new ReplicaWorkers(p, cfg)) {
            rw.hook = b.hook;
            rw.beginPacers();
            tracker.start();
            boolean stop = tracker.record(0, rw.model());
            long round = 0, k = 0;
            while (!stop && round < budget) {
                int e = (int) (round / roundsPerEpoch);
                double alpha = b.serverStep * Math.pow(b.decay, e);
                rw.localSteps(q, k, x -> eta, gd);
                k += q;
                rw.average(ReplicaWorkers.Combine.FEDAVG, alpha, 0);
                round++;
                if (!Periodic.allFinite(rw.model())) break;
                if (round % roundsPerEpoch == 0) { epochs = (int) (round / roundsPerEpoch); stop = tracker.record(epochs, rw.model()); }
            }
            tracker.finish();
            double[] w = rw.model().clone();
            Map<String, Object> extras = new LinkedHashMap<>();
            Periodic.standardExtras(rw, tracker, extras, cfg, gd ? 0 : b.batch);
            extras.put("localSteps_q", q);
            extras.put("local", gd ? "gd" : "sgd");
            extras.put("serverStep", b.serverStep);
            extras.put("step", eta);
            long samples = 0;
            if (gd) for (int i = 0; i < rw.workers(); i++) samples += (long) rw.shareSize(i) * k;
            else samples = rw.localSteps * b.batch;
            return new Result(name(), p, w, tracker.trace(), tracker.trainSeconds(), epochs, samples, rw.threads(), extras);
        }
    }

    @Override public String toString() {
        return "fedavg(q=" + b.localSteps + ", alpha=" + b.serverStep + ", local=" + (b.sgd ? "sgd batch " + b.batch : "gd")
                + ", workers=" + b.workersOrThreads() + ", threads=" + b.threads + ")";
    }

    /** Configures a {@link FedAvg}. */
    public static final class Builder extends Settings<Builder> {
        int localSteps = 5;
        double serverStep = 1;
        double decay = 1;
        boolean sgd;

        private Builder() {}

        /** q local steps per round (default 5). */
        public Builder localSteps(int q) { if (q < 1) throw new IllegalArgumentException("local-steps must be >= 1, got " + q); localSteps = q; return this; }
        /** alpha_0 > 0 (default 1). */
        public Builder serverStep(double a) {
            if (!(a > 0 && Double.isFinite(a))) throw new IllegalArgumentException("server-step must be finite and > 0, got " + a);
            serverStep = a; return this;
        }
        /** Per-epoch factor of alpha, in (0, 1] (default 1). */
        public Builder decay(double f) { if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("decay must be in (0, 1], got " + f); decay = f; return this; }
        /** Local mini-batch SGD of b rows instead of local GD. */
        @Override public Builder batch(int bsize) { super.batch(bsize); sgd = true; return this; }
        public FedAvg build() { return new FedAvg(this); }
    }
}
