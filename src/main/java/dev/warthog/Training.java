package dev.warthog;

import dev.warthog.data.DataFormatException;
import dev.warthog.data.Dataset;
import dev.warthog.model.Model;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Solver;
import dev.warthog.solver.SolverOptions;
import dev.warthog.solver.Solvers;
import dev.warthog.trace.TracePoint;
import dev.warthog.trace.Tracker;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The fluent entry to training: data, loss, penalties, solver, run.
 * <pre>{@code
 * Dataset train = Warthog.read(Path.of("heart_scale"));
 * Fit fit = Warthog.train(train)
 *         .loss(Loss.LOGISTIC).l2(1e-3)
 *         .algorithm("lbfgs")
 *         .run();
 * double[] w = fit.weights();
 * double[] labels = fit.model().predict(test);
 * }</pre>
 * A {@code Training} is a mutable, single-thread builder; {@link #run()} may be called
 * more than once.
 */
public final class Training {
    private final Dataset data;
    private Dataset test;
    private Loss loss = Loss.LOGISTIC;
    private double l2 = 0;
    private double l1 = 0;
    private Solver solver;
    private final SolverOptions.Builder config = SolverOptions.builder();
    private String algorithm = "lbfgs";
    private int evalEvery = 1;
    private double target = Double.NEGATIVE_INFINITY;
    private double timeBudget = Double.POSITIVE_INFINITY;
    private Consumer<TracePoint> listener;
    private Consumer<Tracker> onStart;

    Training(Dataset data) { this.data = Objects.requireNonNull(data, "data"); }

    public Training loss(Loss loss) { this.loss = Objects.requireNonNull(loss); return this; }
    /** The L2 penalty lambda of (lambda/2)||w||^2. */
    public Training l2(double lambda) { this.l2 = lambda; return this; }
    /** The L1 penalty of l1 ||w||_1. */
    public Training l1(double lambda) { this.l1 = lambda; return this; }
    /** A test set, evaluated in the trace (labels mapped like the training labels). */
    public Training test(Dataset test) { this.test = test; return this; }
    /** A configured solver; overrides {@link #algorithm}. */
    public Training solver(Solver solver) { this.solver = solver; return this; }
    /** A solver by its command-line name (gd, agd, sgd, lbfgs), configured by the options below. */
    public Training algorithm(String name) { this.algorithm = name; this.solver = null; return this; }
    /** Epochs (stochastic solvers) or iterations (batch solvers). */
    public Training epochs(int epochs) { config.iterations(epochs); return this; }
    public Training step(double step) { config.step(step); return this; }
    /** Momentum beta of v <- beta v + g (agd). */
    public Training momentum(double beta) { config.momentum(beta); return this; }
    public Training batch(int batch) { config.batch(batch); return this; }
    public Training seed(long seed) { config.seed(seed); return this; }
    /** Per-epoch step factor (sgd, hogwild). */
    public Training decay(double decay) { config.decay(decay); return this; }
    public Training threads(int threads) { config.threads(threads); return this; }
    /** Shared-parameter access mode of the parallel solvers: plain, opaque, atomic, striped, locked. */
    public Training access(String mode) { config.access(mode); return this; }
    /** How rows are dealt to workers: contiguous, strided, random. */
    public Training partition(String kind) { config.partition(kind); return this; }
    /** Any other solver option, set on the underlying {@link SolverOptions.Builder}. */
    public Training options(java.util.function.Consumer<SolverOptions.Builder> set) { set.accept(config); return this; }
    /** Evaluate the trace every k epochs (default 1). */
    public Training evalEvery(int k) { this.evalEvery = k; return this; }
    /** Stop once F(w) <= target. */
    public Training targetObjective(double target) { this.target = target; return this; }
    /** Stop after this many training seconds. */
    public Training timeBudget(double seconds) { this.timeBudget = seconds; return this; }
    /** Called after each evaluation, on the solver's thread. */
    public Training listener(Consumer<TracePoint> l) { this.listener = l; return this; }
    /** Called with the run's tracker just before solving (to watch progress or cancel from another thread). */
    public Training onStart(Consumer<Tracker> hook) { this.onStart = hook; return this; }

    /** The problem this training solves (labels mapped to -1/+1 for classification losses). */
    public Problem problem() { return Problem.of(data, loss, l2, l1); }

    /** The solver that {@link #run()} will use. */
    public Solver resolveSolver() {
        return solver != null ? solver : Solvers.byName(algorithm, config.build());
    }

    /** Trains and returns the weights, the trace and the model. */
    public Fit run() {
        Problem p = problem();
        Dataset testMapped = null;
        double lo = -1, hi = 1;
        if (loss.isClassification()) {
            double[] distinct = data.distinctLabels();
            lo = distinct[0];
            hi = distinct[distinct.length - 1];
        }
        if (test != null) testMapped = mapTest(test, p.dim(), lo, hi);
        Solver s = resolveSolver();
        Tracker tracker = Tracker.builder(p).test(testMapped).evalEvery(evalEvery)
                .targetObjective(target).timeBudget(timeBudget).listener(listener).build();
        if (onStart != null) onStart.accept(tracker);
        Result r = s.solve(p, tracker);
        return new Fit(r, loss.isClassification() ? new Model(r.weights(), loss, lo, hi) : r.model(), testMapped);
    }

    private Dataset mapTest(Dataset t, int dim, double lo, double hi) {
        if (t.cols() > dim)
            throw new DataFormatException(t.source() + ": has feature " + t.cols() + " but the training data only " + dim
                    + " (read both with the same feature count)");
        Dataset tt = t.withCols(dim);
        if (!loss.isClassification()) return tt;
        double[] y = tt.labels();
        double[] m = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            if (y[i] == hi) m[i] = 1;
            else if (y[i] == lo) m[i] = -1;
            else throw new DataFormatException(t.source() + ": row " + (i + 1) + " has label " + y[i]
                    + ", expected one of the training labels " + lo + " or " + hi);
        }
        return tt.withLabels(m);
    }

    /** A finished training: the solver's result, the model with the original label values, the mapped test set. */
    public record Fit(Result result, Model model, Dataset test) {
        public double[] weights() { return result.weights(); }
        public dev.warthog.trace.Trace trace() { return result.trace(); }
        public double objective() { return result.objective(); }
        public double trainSeconds() { return result.trainSeconds(); }
        public double trainAccuracy() { return dev.warthog.objective.Metrics.accuracy(result.problem().data(), weights()); }
        /** Accuracy on the test set, NaN without one. */
        public double testAccuracy() { return test == null ? Double.NaN : dev.warthog.objective.Metrics.accuracy(test, weights()); }
    }
}
