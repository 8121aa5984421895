package dev.warthog.averaging;

import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.solver.Solver;
import dev.warthog.trace.Tracker;

import java.util.Map;

/**
 * Periodic-averaging SGD (PASGD, local SGD), seed 003 eq. (1): every one of m workers runs
 * tau local mini-batch SGD steps on its replica, then the replicas are averaged and the
 * average is broadcast to all of them:
 * <pre>
 *   x_{k+1}^(i) = (1/m) sum_j [x_k^(j) - eta g(x_k^(j))]   if k mod tau = 0
 *                 x_k^(i) - eta g(x_k^(i))                 otherwise
 * </pre>
 * tau = 1 is fully synchronous mini-batch SGD (the model-averaging form, batch m b). The
 * runtime (replicas, shares, sampling, the tree average, the injected delay D per round)
 * is {@link ReplicaWorkers}; the loop is {@link Periodic}.
 *
 * <p>Step sizes: eta_k = {@link Sgd.Schedule#eta}(eta_0, l2, decay, k, k / K) with k the
 * local step index (the same for all workers) and K the local steps per epoch; the default
 * is the sgd default (epoch-decay 0.9) and eta_0 = (1 - mu)/L_max. Optional block momentum
 * (eq. (7)-(8)) and local momentum, as in {@link AdaComm}.
 */
public final class LocalSgd implements Solver {
    private final Builder b;

    private LocalSgd(Builder b) { this.b = b; }

    public static Builder builder() { return new Builder(); }

    @Override public String name() { return "local-sgd"; }
    public int tau() { return b.tau; }

    @Override
    public Result solve(Problem p, Tracker tracker) {
        final double eta0 = b.initialStep(p, name());
        final long perEpoch = b.stepsPerEpoch(p);
        final Sgd.Schedule sch = b.schedule;
        final double decay = b.decay, l2 = p.l2();
        final int tau = b.tau;
        return Periodic.run(name(), p, tracker, b, new Periodic.Controller() {
            @Override int tau() { return tau; }
            @Override boolean fixedPeriods() { return true; }
            @Override double eta(long k) { return sch.eta(eta0, l2, decay, k, (int) (k / perEpoch)); }
            @Override void extras(Map<String, Object> out) {
                out.put("tau", tau);
                out.put("step", eta0);
                out.put("schedule", sch.cliName());
            }
        }, b.blockMomentum);
    }

    @Override public String toString() {
        return "local-sgd(tau=" + b.tau + ", workers=" + b.workersOrThreads() + ", threads=" + b.threads + ", batch=" + b.batch + ")";
    }

    /** Configures a {@link LocalSgd}. */
    public static final class Builder extends Settings<Builder> {
        int tau = 4;
        Sgd.Schedule schedule = Sgd.Schedule.EPOCH_DECAY;
        double decay = 0.9;
        double blockMomentum = 0;

        private Builder() {}

        /** Local steps per period (default 4; 1 = synchronous SGD). */
        public Builder tau(int t) { if (t < 1) throw new IllegalArgumentException("tau must be >= 1, got " + t); tau = t; return this; }
        public Builder schedule(Sgd.Schedule s) { schedule = java.util.Objects.requireNonNull(s); return this; }
        public Builder decay(double f) {
            if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("decay must be in (0, 1], got " + f);
            decay = f; return this;
        }
        /** Global (block) momentum beta_glob in [0, 1) (default 0: plain averaging). */
        public Builder blockMomentum(double beta) {
            if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("block-momentum must be in [0, 1), got " + beta);
            blockMomentum = beta; return this;
        }
        public LocalSgd build() { return new LocalSgd(this); }
    }
}
