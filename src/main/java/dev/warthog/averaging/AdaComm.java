package dev.warthog.averaging;

import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Solver;
import dev.warthog.trace.Tracker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ADACOMM, the adaptive communication strategy of seed 003 section 4: PASGD whose period
 * tau is re-chosen at the start of every interval of length T0.
 * <ul>
 *   <li><b>Basic rule</b>, eq. (6): tau_l = ceil(sqrt(eta_0/eta_l * F(x_l)/F(x_0)) * tau_0),
 *       F(x_l) the training objective at the interval's start ({@link #basicPeriod}).</li>
 *   <li><b>Refinement</b>: tau_l = gamma tau_(l-1) (rounded down, at least 1; gamma = 1/2 by
 *       default) when the basic rule gives no smaller period than tau_(l-1) and
 *       eta_l = eta_(l-1) ({@link #nextPeriod}). Periods therefore never grow.</li>
 *   <li><b>Learning rate</b>: constant (eta_0) while tau > 1; once tau has reached 1 it stays
 *       1 and eta is multiplied by {@code decay} at each later interval (default 1: a fixed
 *       rate, the seed's fixed-learning-rate setting) ({@link #nextRate}).</li>
 *   <li><b>tau_0</b>: given, or picked by a grid search over {1, 2, 4, ..., 64} (periods of at
 *       most K): each candidate runs one epoch from x_0 with fresh replicas and the one with
 *       the largest decrease of F per second, (F(x_0) - F) / seconds, wins. The search is
 *       timed, so it makes the run depend on timing: give tau_0 for reproducible runs. Its
 *       time is reported in the extras ("tau0SearchSeconds"), not in the training time.</li>
 *   <li><b>Intervals</b>: "500" = 500 local steps, "2s" (or "300ms") = wall-clock seconds of
 *       training; an interval ends at the first averaging after its length (so F(x_l) is
 *       always taken at an averaged model). Counted in steps, runs are reproducible from the
 *       seed. Default: one epoch (K local steps).</li>
 *   <li><b>F(x_l)</b>: the full training objective, evaluated by the team over fixed row
 *       blocks (deterministic); one pass over the data per interval, counted in the
 *       training time.</li>
 *   <li><b>Block momentum</b>, eq. (7)-(8): u_j = beta_glob u_(j-1) + G_j,
 *       x_(j+1) = x_j - eta_j u_j, with G_j the period's averaged accumulated local update
 *       divided by eta_j; local momentum mu, cleared after every averaging. Either setting
 *       turns both on, with beta_glob = 0.3 and mu = 0.9 unless given.</li>
 * </ul>
 * The sequence of periods is in the extras ("tauSequence", one entry per interval, with
 * "intervalLoss" and "intervalStep").
 */
public final class AdaComm implements Solver {
    private final Builder b;

    private AdaComm(Builder b) { this.b = b; }

    public static Builder builder() { return new Builder(); }

    @Override public String name() { return "adacomm"; }

    /** Eq. (6): ceil(sqrt(eta0/etaL * fL/f0) * tau0), at least 1 (f0 <= 0 or a non-finite ratio: tau0). */
    public static int basicPeriod(int tau0, double eta0, double etaL, double f0, double fL) {
        double ratio = (eta0 / etaL) * (fL / f0);
        if (!(f0 > 0) || !Double.isFinite(ratio) || ratio < 0) return tau0;
        return (int) Math.max(1, Math.ceil(Math.sqrt(ratio) * tau0));
    }

    /**
     * The period of interval l given tau_(l-1): 1 once tau has reached 1; else eq. (6) when it
     * is strictly smaller than tau_(l-1); else max(1, floor(gamma tau_(l-1))) (the refinement,
     * applied when eta_l = eta_(l-1), which holds while tau > 1).
     */
    public static int nextPeriod(int tau0, int tauPrev, double eta0, double etaPrev, double etaL, double f0, double fL, double gamma) {
        if (tauPrev <= 1) return 1;
        int basic = basicPeriod(tau0, eta0, etaL, f0, fL);
        if (basic < tauPrev) return basic;
        if (etaL == etaPrev) return (int) Math.max(1, Math.floor(gamma * tauPrev));
        return tauPrev;
    }

    /** eta_l: eta_(l-1) times {@code decay} once tau_(l-1) = 1, else unchanged. */
    public static double nextRate(int tauPrev, double etaPrev, double decay) {
        return tauPrev <= 1 ? etaPrev * decay : etaPrev;
    }

    /** An interval: a count of local steps, or seconds when {@code seconds} is true. */
    public record Interval(double length, boolean seconds) {
        /** "500" (local steps), "2s", "2.5s" or "300ms" (wall-clock). */
        public static Interval parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            try {
                if (t.endsWith("ms")) return positive(new Interval(Double.parseDouble(t.substring(0, t.length() - 2)) / 1000, true), s);
                if (t.endsWith("s")) return positive(new Interval(Double.parseDouble(t.substring(0, t.length() - 1)), true), s);
                return positive(new Interval(Long.parseLong(t), false), s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--interval: cannot read '" + s + "': expected a count of local steps (\"500\") or a time (\"2s\", \"300ms\")");
            }
        }

        private static Interval positive(Interval i, String s) {
            if (!(i.length > 0) || Double.isInfinite(i.length))
                throw new IllegalArgumentException("--interval: '" + s + "' must be > 0");
            return i;
        }
    }

    @Override
    public Result solve(Problem p, Tracker tracker) {
        final double eta0 = b.initialStep(p, name());
        final long perEpoch = b.stepsPerEpoch(p);
        final Interval iv = b.interval != null ? Interval.parse(b.interval) : new Interval(perEpoch, false);
        Map<String, Object> search = new LinkedHashMap<>();
        long searchNanos = 0;
        int tau0;
        if (b.tau0 != null) tau0 = b.tau0;
        else {
            long t0 = System.nanoTime();
            tau0 = searchTau0(p, eta0, perEpoch, search);
            searchNanos = System.nanoTime() - t0;
        }
        final int firstTau = tau0;
        final double searchSeconds = searchNanos * 1e-9;
        return Periodic.run(name(), p, tracker, b, new Periodic.Controller() {
            int tau = firstTau;
            double eta = eta0, f0;
            long intervalStartStep;
            double intervalStartSec;
            final List<Integer> taus = new ArrayList<>();
            final List<Double> losses = new ArrayList<>(), steps = new ArrayList<>();

            @Override void begin(ReplicaWorkers rw) {
                f0 = rw.objective(rw.model());
                taus.add(tau); losses.add(f0); steps.add(eta);
            }
            @Override int tau() { return tau; }
            @Override double eta(long k) { return eta; }
            @Override void periodEnd(ReplicaWorkers rw, long k, double seconds) {
                boolean over = iv.seconds() ? seconds - intervalStartSec >= iv.length() : k - intervalStartStep >= iv.length();
                if (!over) return;
                double fl = rw.objective(rw.model());
                double etaL = nextRate(tau, eta, b.decay);
                tau = nextPeriod(firstTau, tau, eta0, eta, etaL, f0, fl, b.gamma);
                eta = etaL;
                intervalStartStep = k;
                intervalStartSec = seconds;
                taus.add(tau); losses.add(fl); steps.add(eta);
            }
            @Override void extras(Map<String, Object> out) {
                out.put("tau0", firstTau);
                out.put("tauSequence", taus.stream().mapToInt(Integer::intValue).toArray());
                out.put("intervalLoss", losses.stream().mapToDouble(Double::doubleValue).toArray());
                out.put("intervalStep", steps.stream().mapToDouble(Double::doubleValue).toArray());
                out.put("interval", iv.seconds() ? iv.length() + "s" : String.valueOf((long) iv.length()));
                out.put("gamma", b.gamma);
                out.put("step", eta0);
                if (!search.isEmpty()) { out.put("tau0Search", search); out.put("tau0SearchSeconds", searchSeconds); }
            }
        }, b.blockMomentum());
    }

    /** The grid search for tau_0 (see the class comment); fills {@code out} with candidate -> {seconds, F}. */
    private int searchTau0(Problem p, double eta0, long perEpoch, Map<String, Object> out) {
        int best = 1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 1; c <= 64 && c <= Math.max(1, perEpoch); c <<= 1) {
            try (ReplicaWorkers rw = new ReplicaWorkers(p, b.config())) {
                if (b.blockMomentum() == 0) rw.sparseRounds(b.sparseRounds);
                double f0 = rw.objective(rw.model());
                rw.beginPacers();
                long t0 = System.nanoTime();
                for (long k = 0; k < perEpoch; ) {
                    int steps = (int) Math.min(c, perEpoch - k);
                    rw.localSteps(steps, k, x -> eta0, false);
                    k += steps;
                    if (b.blockMomentum() > 0) rw.average(ReplicaWorkers.Combine.BLOCK_MOMENTUM, eta0, b.blockMomentum());
                    else rw.average(ReplicaWorkers.Combine.AVERAGE, 0, 0);
                }
                double secs = (System.nanoTime() - t0) * 1e-9;
                double f = rw.objective(rw.model());
                out.put(String.valueOf(c), new double[] {secs, f});
                double score = (f0 - f) / Math.max(secs, 1e-9);
                if (Double.isFinite(f) && score > bestScore) { bestScore = score; best = c; }
            }
        }
        return best;
    }

    @Override public String toString() {
        return "adacomm(tau0=" + (b.tau0 == null ? "search" : b.tau0) + ", interval=" + b.interval + ", gamma=" + b.gamma
                + ", workers=" + b.workersOrThreads() + ", threads=" + b.threads + ")";
    }

    /** Configures an {@link AdaComm}. */
    public static final class Builder extends Settings<Builder> {
        Integer tau0;
        String interval;
        double gamma = 0.5;
        double decay = 1;
        Double blockMomentum;
        boolean localMomentumSet;

        private Builder() {}

        /** tau_0; null = grid search. */
        public Builder tau0(Integer t) { if (t != null && t < 1) throw new IllegalArgumentException("tau0 must be >= 1, got " + t); tau0 = t; return this; }
        /** T0: "500" local steps or "2s"; null = one epoch of local steps. */
        public Builder interval(String s) { if (s != null) Interval.parse(s); interval = s; return this; }
        public Builder gamma(double g) { if (!(g > 0 && g < 1)) throw new IllegalArgumentException("gamma must be in (0, 1), got " + g); gamma = g; return this; }
        /** Per-interval learning-rate factor once tau = 1, in (0, 1] (default 1). */
        public Builder decay(double f) { if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("decay must be in (0, 1], got " + f); decay = f; return this; }
        /** Global momentum beta_glob in [0, 1); turns local momentum on (0.9) unless that was given. */
        public Builder blockMomentum(double beta) {
            if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("block-momentum must be in [0, 1), got " + beta);
            blockMomentum = beta;
            if (!localMomentumSet && beta > 0) localMomentum = 0.9;
            return this;
        }
        @Override public Builder localMomentum(double mu) {
            super.localMomentum(mu);
            localMomentumSet = true;
            return this;
        }
        double blockMomentum() { return blockMomentum != null ? blockMomentum : (localMomentum > 0 ? 0.3 : 0); }
        public AdaComm build() { return new AdaComm(this); }
    }
}
