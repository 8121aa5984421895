package dev.warthog.trace;

import dev.warthog.data.Dataset;
import dev.warthog.objective.Metrics;
import dev.warthog.objective.Problem;

import java.util.function.Consumer;

/**
 * Keeps the training clock and the trace of one run. A solver calls {@link #start()} once,
 * then {@link #record(int, double[])} at each epoch (or iteration) boundary: the clock is
 * stopped while the objective and metrics are evaluated, so trace seconds are training time
 * only. {@link #cancel()} may be called from any thread; the solver sees it at its next
 * {@link #record} or {@link #cancelled()} check.
 *
 * <p>Thread confinement: everything but {@link #cancel()}, {@link #cancelled()} and
 * {@link #progressOpaque()} belongs to the thread that runs the solver.
 */
public final class Tracker {
    private final Problem problem;
    private final Dataset test;
    private final Trace trace;
    private final int evalEvery;
    private final double targetObjective;
    private final double timeBudgetSeconds;
    private final Consumer<TracePoint> listener;
    private final ProgressCounter progress = new ProgressCounter();
    private volatile boolean cancelled;
    private long trainingNanos;
    private long resumedAt = -1;
    private boolean targetReached;

    private Tracker(Builder b) {
        this.problem = b.problem;
        this.test = b.test;
        this.evalEvery = b.evalEvery;
        this.targetObjective = b.targetObjective;
        this.timeBudgetSeconds = b.timeBudgetSeconds;
        this.listener = b.listener;
        this.trace = new Trace(Metrics.primaryName(b.problem.loss()));
    }

    public static Builder builder(Problem problem) { return new Builder(problem); }

    /** A tracker that evaluates every epoch, with no test set. */
    public static Tracker of(Problem problem) { return builder(problem).build(); }

    public Problem problem() { return problem; }
    public Trace trace() { return trace; }

    /** Starts (or resumes) the training clock. */
    public void start() { resumedAt = System.nanoTime(); }

    /** Training seconds so far (evaluation excluded). */
    public double trainSeconds() {
        long t = trainingNanos;
        if (resumedAt >= 0) t += System.nanoTime() - resumedAt;
        return t * 1e-9;
    }

    /**
     * End of epoch {@code epoch}: stops the clock, evaluates w (every {@code evalEvery}
     * epochs, and always at epoch 0), resumes the clock, publishes progress, and tells
     * whether the run must stop (cancelled, target objective reached, or time budget spent).
     */
    public boolean record(int epoch, double[] w) {
        long now = System.nanoTime();
        if (resumedAt >= 0) trainingNanos += now - resumedAt;
        resumedAt = -1;
        boolean stop = cancelled;
        if (epoch == 0 || epoch % evalEvery == 0) {
            double f = problem.value(w);
            double tr = Metrics.primary(problem.loss(), problem.data(), w);
            double te = test == null ? Double.NaN : Metrics.primary(problem.loss(), test, w);
            TracePoint p = new TracePoint(epoch, trainingNanos * 1e-9, f, tr, te);
            trace.add(p);
            if (listener != null) listener.accept(p);
            if (f <= targetObjective) { targetReached = true; stop = true; }
        }
        if (trainingNanos * 1e-9 >= timeBudgetSeconds) stop = true;
        progress.setRelease(epoch);
        resumedAt = System.nanoTime();
        return stop;
    }

    /** Stops the clock for good (call once, after the last {@link #record}). */
    public void finish() {
        if (resumedAt >= 0) trainingNanos += System.nanoTime() - resumedAt;
        resumedAt = -1;
    }

    /** True once the training time has used up the time budget (solver thread only). */
    public boolean overBudget() { return trainSeconds() >= timeBudgetSeconds; }

    /** Asks the run to stop at its next check; callable from any thread. */
    public void cancel() { cancelled = true; }
    public boolean cancelled() { return cancelled; }
    public boolean targetReached() { return targetReached; }

    /** Epochs completed, as published to observer threads (a progress bar). */
    public ProgressCounter progressOpaque() { return progress; }

    public static final class Builder {
        private final Problem problem;
        private Dataset test;
        private int evalEvery = 1;
        private double targetObjective = Double.NEGATIVE_INFINITY;
        private double timeBudgetSeconds = Double.POSITIVE_INFINITY;
        private Consumer<TracePoint> listener;

        private Builder(Problem problem) { this.problem = problem; }

        /** Test data, with labels already mapped like the problem's. */
        public Builder test(Dataset test) { this.test = test; return this; }
        public Builder evalEvery(int epochs) {
            if (epochs < 1) throw new IllegalArgumentException("evalEvery must be >= 1");
            this.evalEvery = epochs; return this;
        }
        /** Stop once F(w) <= target. */
        public Builder targetObjective(double target) { this.targetObjective = target; return this; }
        /** Stop once training time exceeds this. */
        public Builder timeBudget(double seconds) { this.timeBudgetSeconds = seconds; return this; }
        /** Called on the solver thread after each evaluation. */
        public Builder listener(Consumer<TracePoint> l) { this.listener = l; return this; }
        public Tracker build() { return new Tracker(this); }
    }
}
