package dev.warthog.solver;

import dev.warthog.engine.Stragglers;
import dev.warthog.engine.Team;
import dev.warthog.objective.Problem;
import dev.warthog.sync.Aggregation;
import dev.warthog.sync.ParallelGradient;
import dev.warthog.trace.Tracker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Full-gradient descent with heavy-ball momentum, exactly as in seed 000 section 1 (AGD):
 * <pre>
 *   g_t     = grad f(w_t)                         (1.2)/(1.3), the smooth part f = (1/n) sum loss + (l2/2)||w||^2
 *   v_{t+1} = beta v_t + g_t
 *   w_{t+1} = w_t - alpha v_{t+1}                 (l1 = 0)
 *   w_{t+1} = prox_{alpha l1 ||.||_1}(w_t - alpha v_{t+1})   (l1 > 0: soft-thresholding, a proximal step)
 * </pre>
 * with v_0 = 0 and w_0 = 0. {@code beta = 0} is plain (proximal) gradient descent ("gd");
 * {@code beta > 0} is the momentum method of the seed ("agd", default beta = 0.9).
 *
 * <p><b>l1 with momentum.</b> Applying the prox to the seed's update as written has the wrong
 * fixed point (v tends to grad f(w*)/(1-beta) != 0, which solves the problem with l1 scaled by
 * 1-beta). So when l1 > 0 the momentum is redefined after the prox as the step actually
 * taken, v_{t+1} := (w_t - w_{t+1}) / alpha, which makes the iteration the proximal heavy
 * ball of Ochs et al. (iPiano, 2014): w_{t+1} = prox_{alpha l1}(w_t - alpha g_t + beta (w_t - w_{t-1})).
 * With l1 = 0 this is the same iteration (no redefinition is done, v is exactly the seed's).
 *
 * <p><b>Step size.</b> Fixed: alpha = {@code step}, default 1/L with L =
 * {@link Problem#smoothness()} (stable for heavy ball since alpha L = 1 < 2(1+beta)).
 * Backtracking (Beck and Teboulle 2009, the ISTA rule, applied to the momentum step): the
 * trial point w+ = prox_{alpha l1}(w - alpha v) is accepted when the quadratic upper model
 * of the smooth part holds, f(w+) <= f(w) + g.(w+ - w) + ||w+ - w||^2 / (2 alpha) (g the true
 * gradient at w, not v); otherwise alpha is halved. Each iteration first tries 1.25 times the
 * last accepted alpha (so a pessimistic start recovers), starting from {@code step} or 1.
 * A trial evaluates the fused gradient at w+, which is reused when accepted.
 *
 * <p><b>Stopping.</b> After {@code maxIterations}, when the tracker says stop (cancel, target,
 * time budget), or when the first-order optimality measure (the norm of the minimum-norm
 * subgradient of F; the gradient norm when l1 = 0) falls to
 * {@code tolerance * max(1, its value at w_0)}.
 *
 * <p><b>Non-smooth losses.</b> With the hinge loss the "gradient" is a subgradient and this is
 * the (momentum) subgradient method: it needs an explicit {@code step} (there is no 1/L),
 * rejects backtracking, and returns the last iterate (not the best one); the gradient-norm
 * test never fires, so it runs to {@code maxIterations}.
 *
 * <p><b>Synchronous parallel GD/AGD</b> (seed 000 section 2.3): with {@code threads > 1}
 * (or any of aggregation, barrier, blocks, stragglers set) the gradient oracle is a
 * {@link ParallelGradient}: the workers own fixed row blocks, compute their local gradient
 * sums from the published w, the sums are aggregated ({@link Aggregation}: server, sliced or
 * tree) and this solver, the server, applies the update above. The blocked sum is the one
 * {@link Problem#gradient} uses, so the iterates are bit-identical for any thread count,
 * 1 thread (the serial solver) included.
 *
 * <p>Immutable; each {@link #solve} call owns its state. {@link Result#samples()} counts
 * rows touched by gradient evaluations (n per evaluation).
 */
public final class GradientDescent implements Solver {
    private final String name;
    private final double momentum;
    private final double step;
    private final boolean backtracking;
    private final int maxIterations;
    private final double tolerance;
    private final int threads;
    private final Aggregation aggregation;
    private final Team.Wait barrier;
    private final Integer blocks;
    private final Stragglers stragglers;
    private final long seed;
    private final boolean parallel;

    private GradientDescent(Builder b) {
        this.name = b.name;
        this.momentum = b.momentum;
        this.step = b.step;
        this.backtracking = b.backtracking;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.threads = b.threads;
        this.aggregation = b.aggregation == null ? Aggregation.SLICED : b.aggregation;
        this.barrier = b.barrier == null ? Team.Wait.SPIN : b.barrier;
        this.blocks = b.blocks;
        this.stragglers = b.stragglers == null ? Stragglers.NONE : b.stragglers;
        this.seed = b.seed;
        this.parallel = threads > 1 || b.aggregation != null || b.barrier != null || stragglers.any();
        this.stragglers.checkWorkers(threads);
    }

    /** Plain gradient descent (beta = 0), name "gd". */
    public static Builder gd() { return new Builder("gd", 0.0); }

    /** Heavy-ball accelerated gradient descent of seed 000 (beta = 0.9), name "agd". */
    public static Builder agd() { return new Builder("agd", 0.9); }

    @Override public String name() { return name; }
    public double momentum() { return momentum; }
    /** The configured step, or NaN for the default 1/L. */
    public double step() { return step; }
    public boolean backtracking() { return backtracking; }
    public int maxIterations() { return maxIterations; }
    public double tolerance() { return tolerance; }
    public int threads() { return threads; }
    public Aggregation aggregation() { return aggregation; }
    public Team.Wait barrier() { return barrier; }
    /** The explicit block count, or null for the data's default. */
    public Integer blocks() { return blocks; }
    public Stragglers stragglers() { return stragglers; }

    /** The gradient oracle: g = grad f(w), returns F(w), or NaN when {@code withLoss} is false. */
    private interface Oracle { double gradient(double[] w, double[] g, boolean withLoss); }

    @Override
    public Result solve(Problem problem, Tracker tracker) {
        boolean smooth = Vec.smooth(problem);
        if (!smooth && Double.isNaN(step))
            throw new IllegalArgumentException(name + ": the " + problem.loss().cliName()
                    + " loss is not smooth (no 1/L step); give an explicit step to run the subgradient method");
        if (!smooth && backtracking)
            throw new IllegalArgumentException(name + ": backtracking needs a smooth loss, not " + problem.loss().cliName());
        double alpha = !Double.isNaN(step) ? step : backtracking ? 1.0 : 1.0 / problem.smoothness();
        if (!(alpha > 0) || Double.isInfinite(alpha))
            throw new IllegalArgumentException(name + ": step must be finite and > 0, got " + alpha);

        if (blocks != null) problem.checkBlocks(blocks);
        if (!parallel) {
            int b = blocks == null ? problem.defaultBlocks() : blocks;
            return run(problem, tracker, alpha, (w, g, withLoss) -> problem.gradient(w, g, b, withLoss), null);
        }
        try (ParallelGradient pg = new ParallelGradient(problem, threads, aggregation, barrier, blocks, stragglers, seed)) {
            return run(problem, tracker, alpha, pg::gradient, pg);
        }
    }

    private Result run(Problem problem, Tracker tracker, double alpha, Oracle oracle, ParallelGradient par) {
        final int d = problem.dim();
        final long n = problem.rows();
        final double l1 = problem.l1();
        final double beta = momentum;
        double[] w = new double[d], v = new double[d], g = new double[d], pg = new double[d];
        double[] wNew = backtracking ? new double[d] : null, gNew = backtracking ? new double[d] : null;
        long gradNanos = 0;

        tracker.start();
        long c0 = System.nanoTime();
        // a fixed step never looks at F(w): those iterations skip the loss terms (the dense
        // logistic pass then runs no log1p); divergence shows in the gradient's norm instead
        double fTotal = oracle.gradient(w, g, backtracking);
        gradNanos += System.nanoTime() - c0;
        long evals = 1;
        double opt = Vec.pseudoGradient(w, g, l1, pg);
        final double threshold = tolerance * Math.max(1.0, opt);
        boolean stop = tracker.record(0, w);
        int it = 0;
        while (!stop && it < maxIterations && !(opt <= threshold)) {
            for (int j = 0; j < d; j++) v[j] = beta * v[j] + g[j];
            if (!backtracking) {
                double t = alpha * l1;
                for (int j = 0; j < d; j++) {
                    double x = w[j] - alpha * v[j];
                    if (l1 != 0) {
                        double y = Problem.proxL1(x, t);
                        v[j] = (w[j] - y) / alpha;   // iPiano: momentum is the displacement
                        x = y;
                    }
                    w[j] = x;
                }
                c0 = System.nanoTime();
                fTotal = oracle.gradient(w, g, false);
                gradNanos += System.nanoTime() - c0;
                evals++;
            } else {
                double f = fTotal - l1 * Vec.norm1(w);
                double slack = 1e-14 * Math.max(1.0, Math.abs(f));
                alpha *= 1.25;
                double fNewTotal;
                while (true) {
                    double t = alpha * l1, lin = 0, sq = 0;
                    for (int j = 0; j < d; j++) {
                        double x = w[j] - alpha * v[j];
                        double y = l1 == 0 ? x : Problem.proxL1(x, t);
                        wNew[j] = y;
                        double dx = y - w[j];
                        lin += g[j] * dx;
                        sq += dx * dx;
                    }
                    c0 = System.nanoTime();
                    fNewTotal = oracle.gradient(wNew, gNew, true);
                    gradNanos += System.nanoTime() - c0;
                    evals++;
                    double fNew = fNewTotal - l1 * Vec.norm1(wNew);
                    if (fNew <= f + lin + sq / (2 * alpha) + slack) break;
                    alpha *= 0.5;
                    if (alpha < 1e-300) throw new ArithmeticException(name + ": backtracking found no step (non-finite objective?)");
                }
                if (l1 != 0) for (int j = 0; j < d; j++) v[j] = (w[j] - wNew[j]) / alpha;
                double[] tmp = w; w = wNew; wNew = tmp;
                tmp = g; g = gNew; gNew = tmp;
                fTotal = fNewTotal;
            }
            it++;
            opt = Vec.pseudoGradient(w, g, l1, pg);
            stop = tracker.record(it, w);
            if (!Double.isFinite(backtracking ? fTotal : opt)) break;
        }
        tracker.finish();
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("iterations", it);
        extras.put("gradientEvaluations", evals);
        extras.put("step", alpha);
        if (par == null) {
            extras.put("computeSeconds", gradNanos * 1e-9);
            extras.put("aggregateSeconds", 0.0);
            extras.put("barrierSeconds", 0.0);
            extras.put("workerComputeSeconds", new double[] {gradNanos * 1e-9});
            extras.put("workerBarrierSeconds", new double[] {0.0});
        } else {
            extras.put("computeSeconds", par.computeSeconds());
            extras.put("aggregateSeconds", par.aggregateSeconds());
            extras.put("barrierSeconds", par.barrierSeconds());
            extras.put("workerComputeSeconds", par.workerComputeSeconds());
            extras.put("workerBarrierSeconds", par.workerBarrierSeconds());
            extras.put("aggregate", par.aggregation().cliName());
            extras.put("barrier", par.barrier().cliName());
            if (stragglers.any()) extras.put("workerPacedSeconds", par.workerPacedSeconds());
        }
        extras.put("blocks", par != null ? par.blocks() : blocks != null ? blocks : problem.defaultBlocks());
        return new Result(name, problem, w, tracker.trace(), tracker.trainSeconds(), it, evals * n, threads, extras);
    }

    @Override public String toString() {
        return name + "(beta=" + momentum + ", step=" + (Double.isNaN(step) ? "1/L" : step)
                + (backtracking ? ", backtracking" : "") + ", iterations=" + maxIterations + ", tol=" + tolerance
                + (parallel ? ", threads=" + threads + ", " + aggregation.cliName() + ", " + barrier.cliName()
                        + (blocks != null ? ", blocks=" + blocks : "") + (stragglers.any() ? ", stragglers " + stragglers : "") : "")
                + ")";
    }

    /** Configures a {@link GradientDescent}; start from {@link #gd()} or {@link #agd()}. */
    public static final class Builder {
        private String name;
        private double momentum;
        private double step = Double.NaN;
        private boolean backtracking;
        private int maxIterations = 1000;
        private double tolerance = 1e-8;
        private int threads = 1;
        private Aggregation aggregation;
        private Team.Wait barrier;
        private Integer blocks;
        private Stragglers stragglers;
        private long seed;

        private Builder(String name, double momentum) { this.name = name; this.momentum = momentum; }

        /** beta in [0, 1): 0 is plain gradient descent. */
        public Builder momentum(double beta) {
            if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + beta);
            this.momentum = beta; return this;
        }
        /** Fixed step alpha (or the first trial step with backtracking); NaN restores the default 1/L. */
        public Builder step(double alpha) {
            if (!Double.isNaN(alpha) && !(alpha > 0 && Double.isFinite(alpha)))
                throw new IllegalArgumentException("step must be finite and > 0, got " + alpha);
            this.step = alpha; return this;
        }
        /** Beck-Teboulle backtracking on the (proximal) step instead of a fixed step. */
        public Builder backtracking(boolean on) { this.backtracking = on; return this; }
        /** Iteration cap (default 1000). */
        public Builder maxIterations(int it) {
            if (it < 0) throw new IllegalArgumentException("iterations must be >= 0, got " + it);
            this.maxIterations = it; return this;
        }
        /** Relative first-order tolerance (default 1e-8); 0 runs all iterations. */
        public Builder tolerance(double tol) {
            if (!(tol >= 0)) throw new IllegalArgumentException("tolerance must be >= 0, got " + tol);
            this.tolerance = tol; return this;
        }
        /** Threads of synchronous parallel GD/AGD (default 1: the serial solver, same bits). */
        public Builder threads(int t) {
            if (t < 1) throw new IllegalArgumentException("threads must be >= 1, got " + t);
            this.threads = t; return this;
        }
        /** How the workers' gradient sums are combined (default sliced); setting it runs the parallel oracle. */
        public Builder aggregation(Aggregation a) { this.aggregation = java.util.Objects.requireNonNull(a); return this; }
        /** How the workers wait (default spin); setting it runs the parallel oracle. */
        public Builder barrier(Team.Wait w) { this.barrier = java.util.Objects.requireNonNull(w); return this; }
        /** Row blocks of the deterministic gradient sum (null: from the data's shape). Results depend on it, never on threads. */
        public Builder blocks(Integer b) {
            if (b != null && b < 1) throw new IllegalArgumentException("blocks must be >= 1, got " + b);
            this.blocks = b; return this;
        }
        /** Slowed workers (seed 000 Figure 1); they must name workers < threads (checked by {@link #build()}). */
        public Builder stragglers(Stragglers s) { this.stragglers = s; return this; }
        /** Seed of the stragglers' random delays (the iterates do not depend on it). */
        public Builder seed(long s) { this.seed = s; return this; }
        /** The name reported in results ("gd" or "agd" by default). */
        public Builder name(String n) { this.name = java.util.Objects.requireNonNull(n); return this; }
        public GradientDescent build() { return new GradientDescent(this); }
    }
}
