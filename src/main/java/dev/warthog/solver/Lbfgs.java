package dev.warthog.solver;

import dev.warthog.objective.Problem;
import dev.warthog.trace.Tracker;

/**
 * Limited-memory BFGS, the high-precision reference solver that gives F* for
 * suboptimality plots.
 *
 * <p><b>l1 = 0.</b> L-BFGS (Nocedal and Wright, <i>Numerical Optimization</i>, 2nd ed.,
 * Algorithm 7.5 with the two-loop recursion, Algorithm 7.4, and initial matrix
 * H0 = (s.y / y.y) I, eq. (7.20)) with memory m (default 10), and a line search satisfying
 * the strong Wolfe conditions (eq. (3.7), c1 = 1e-4, c2 = 0.9) by bracketing and zoom with
 * safeguarded cubic interpolation (Algorithms 3.5 and 3.6), which also accepts a step meeting
 * the approximate Wolfe conditions of Hager and Zhang (2005), so that it keeps working when
 * differences of F are at rounding level near the optimum. The first trial step is 1, except
 * on the first iteration (and after a memory reset), where it is 1/||g||.
 *
 * <p><b>l1 > 0.</b> OWL-QN (Andrew and Gao, ICML 2007): the two-loop recursion applied to
 * the pseudo-gradient (the minimum-norm subgradient of F), the direction projected onto the
 * sign pattern of minus the pseudo-gradient, and a backtracking line search (halving,
 * sufficient decrease with c1 = 1e-4 measured with the pseudo-gradient) in which each trial
 * point is projected onto the orthant of the current point; curvature pairs use gradients of
 * the smooth part only.
 *
 * <p><b>Stopping.</b> After {@code maxIterations}, when the tracker says stop, when the
 * (pseudo-)gradient norm is at most {@code gradientTolerance * max(1, ||g(w_0)||)} (default
 * 1e-10), when the relative decrease (F_{k-1} - F_k) / max(|F_k|, |F_{k-1}|, 1) has been at
 * most {@code relativeDecrease} (default 0: F did not decrease at all) on 3 consecutive
 * iterations (F stagnates in floating point well before the gradient does, so a reference
 * solver must not stop at the first tiny decrease), or when
 * the line search cannot make progress in floating point from a steepest-descent start.
 *
 * <p>Non-smooth losses (hinge) are rejected. Immutable; each solve owns its state.
 */
public final class Lbfgs implements Solver {
    private static final double C1 = 1e-4, C2 = 0.9;
    private static final int MAX_LINE_SEARCH = 60;
    private static final int STALL_ITERATIONS = 3;

    private final int memory;
    private final int maxIterations;
    private final double gradientTolerance;
    private final double relativeDecrease;

    private Lbfgs(Builder b) {
        this.memory = b.memory;
        this.maxIterations = b.maxIterations;
        this.gradientTolerance = b.gradientTolerance;
        this.relativeDecrease = b.relativeDecrease;
    }

    public static Builder builder() { return new Builder(); }

    @Override public String name() { return "lbfgs"; }
    public int memory() { return memory; }
    public int maxIterations() { return maxIterations; }
    public double gradientTolerance() { return gradientTolerance; }
    public double relativeDecrease() { return relativeDecrease; }

    /** Per-run state: iterate, gradients, the curvature-pair ring buffer, the trial point. */
    private final class Run {
        final Problem p;
        final int d;
        final double l1;
        double[] w, g, pg, dir, wT, gT;
        double f, fT;
        final double[][] S, Y;
        final double[] rho, alphaBuf;
        int count, head;     // pairs stored; index of the next slot
        long evals;

        Run(Problem p) {
            this.p = p;
            this.d = p.dim();
            this.l1 = p.l1();
            w = new double[d]; g = new double[d]; pg = new double[d]; dir = new double[d];
            wT = new double[d]; gT = new double[d];
            S = new double[memory][d];
            Y = new double[memory][d];
            rho = new double[memory];
            alphaBuf = new double[memory];
        }

        /** F and the smooth gradient at the trial point wT. */
        double evalTrial() {
            fT = p.gradient(wT, gT);
            evals++;
            return fT;
        }

        void acceptTrial() {
            double[] t = w; w = wT; wT = t;
            t = g; g = gT; gT = t;
            f = fT;
        }

        /** Stores s = wT - w, y = gT - g if s.y > 0 (call before acceptTrial). */
        void pushPair() {
            double[] s = S[head], y = Y[head];
            double sy = 0, yy = 0;
            for (int j = 0; j < d; j++) {
                s[j] = wT[j] - w[j];
                y[j] = gT[j] - g[j];
                sy += s[j] * y[j];
                yy += y[j] * y[j];
            }
            if (!(sy > 1e-12 * yy) || yy == 0) return;   // keep H positive definite
            rho[head] = 1.0 / sy;
            head = (head + 1) % memory;
            if (count < memory) count++;
        }

        /** dir = -H grad, with H the L-BFGS inverse-Hessian approximation (two-loop recursion). */
        void twoLoop(double[] grad) {
            for (int j = 0; j < d; j++) dir[j] = -grad[j];
            for (int k = 0; k < count; k++) {
                int i = Math.floorMod(head - 1 - k, memory);
                double a = rho[i] * Vec.dot(S[i], dir);
                alphaBuf[i] = a;
                double[] y = Y[i];
                for (int j = 0; j < d; j++) dir[j] -= a * y[j];
            }
            if (count > 0) {
                int last = Math.floorMod(head - 1, memory);
                double gamma = 1.0 / (rho[last] * Vec.dot(Y[last], Y[last]));
                for (int j = 0; j < d; j++) dir[j] *= gamma;
            }
            for (int k = count - 1; k >= 0; k--) {
                int i = Math.floorMod(head - 1 - k, memory);
                double b = rho[i] * Vec.dot(Y[i], dir);
                double[] s = S[i];
                double c = alphaBuf[i] - b;
                for (int j = 0; j < d; j++) dir[j] += c * s[j];
            }
        }

        void reset() { count = 0; head = 0; }

        // ---------------- strong Wolfe line search (Nocedal-Wright Alg. 3.5 / 3.6) ----------------

        private double phiAt(double a) {
            for (int j = 0; j < d; j++) wT[j] = w[j] + a * dir[j];
            return evalTrial();
        }

        /** Leaves the accepted point in wT/gT/fT and returns its step, or NaN on failure. */
        double wolfe(double a1) {
            final double f0 = f, dphi0 = Vec.dot(g, dir);
            double aPrev = 0, fPrev = f0, dPrev = dphi0;
            double a = a1;
            for (int i = 0; i < MAX_LINE_SEARCH; i++) {
                double fa = phiAt(a);
                double da = Vec.dot(gT, dir);
                if (!Double.isFinite(fa)) { a = 0.5 * (aPrev + a); continue; }
                if (approximateWolfe(f0, dphi0, fa, da)) return a;
                if (fa > f0 + C1 * a * dphi0 || (i > 0 && fa >= fPrev))
                    return zoom(f0, dphi0, aPrev, fPrev, dPrev, a, fa, da);
                if (Math.abs(da) <= -C2 * dphi0) return a;
                if (da >= 0) return zoom(f0, dphi0, a, fa, da, aPrev, fPrev, dPrev);
                aPrev = a; fPrev = fa; dPrev = da;
                a *= 2;
            }
            return Double.NaN;
        }

        /**
         * The approximate Wolfe conditions of Hager and Zhang (SIAM J. Optim. 2005, eq. (23)):
         * (2 c1 - 1) phi'(0) >= phi'(a) >= c2 phi'(0) and phi(a) <= phi(0) + eps, with
         * eps = 1e-14 max(1, |phi(0)|), the rounding noise of F. Near the optimum the Armijo
         * test compares numbers that differ by less than their rounding error; these
         * derivative-based conditions still decide correctly there.
         */
        private boolean approximateWolfe(double f0, double dphi0, double fa, double da) {
            return fa <= f0 + fNoise(f0) && da >= C2 * dphi0 && da <= (2 * C1 - 1) * dphi0;
        }

        private double zoom(double f0, double dphi0, double lo, double flo, double dlo,
                            double hi, double fhi, double dhi) {
            for (int i = 0; i < MAX_LINE_SEARCH; i++) {
                double left = Math.min(lo, hi), right = Math.max(lo, hi), width = right - left;
                if (width <= 1e-16 * Math.max(1, right)) break;
                double a = cubicMin(lo, flo, dlo, hi, fhi, dhi, left + 0.1 * width, right - 0.1 * width);
                double fa = phiAt(a);
                double da = Vec.dot(gT, dir);
                if (approximateWolfe(f0, dphi0, fa, da)) return a;
                if (!(fa <= f0 + C1 * a * dphi0) || fa >= flo) {
                    hi = a; fhi = fa; dhi = da;
                } else {
                    if (Math.abs(da) <= -C2 * dphi0) return a;
                    if (da * (hi - lo) >= 0) { hi = lo; fhi = flo; dhi = dlo; }
                    lo = a; flo = fa; dlo = da;
                }
            }
            // Zoom exhausted (floating-point limit): fall back to lo if it decreased F.
            if (lo > 0 && flo < f0) {
                phiAt(lo);
                return lo;
            }
            return Double.NaN;
        }
    }

    /** Rounding noise of an objective value f: 1e-14 max(1, |f|). */
    static double fNoise(double f) { return 1e-14 * Math.max(1.0, Math.abs(f)); }

    /**
     * Minimiser of the cubic interpolating (a, fa, da) and (b, fb, db) (Nocedal-Wright
     * eq. (3.59)), clamped to [lo, hi]; the midpoint of [lo, hi] when it has none.
     */
    static double cubicMin(double a, double fa, double da, double b, double fb, double db, double lo, double hi) {
        double x = Double.NaN;
        if (Double.isFinite(fb) && Double.isFinite(db) && a != b) {
            double d1 = da + db - 3 * (fa - fb) / (a - b);
            double disc = d1 * d1 - da * db;
            if (disc >= 0) {
                double d2 = Math.copySign(Math.sqrt(disc), b - a);
                double den = db - da + 2 * d2;
                if (den != 0) x = b - (b - a) * (db + d2 - d1) / den;
            }
        }
        if (!(x >= lo && x <= hi)) x = Double.isFinite(x) ? Math.max(lo, Math.min(hi, x)) : 0.5 * (lo + hi);
        return x;
    }

    @Override
    public Result solve(Problem problem, Tracker tracker) {
        if (!Vec.smooth(problem))
            throw new IllegalArgumentException("lbfgs needs a smooth loss; the " + problem.loss().cliName()
                    + " loss is not differentiable (use smooth-hinge, or sgd/gd with an explicit step)");
        Run r = new Run(problem);
        tracker.start();
        r.f = problem.gradient(r.w, r.g);
        r.evals = 1;
        double pgNorm = Vec.pseudoGradient(r.w, r.g, r.l1, r.pg);
        final double threshold = gradientTolerance * Math.max(1.0, pgNorm);
        boolean stop = tracker.record(0, r.w);
        int it = 0;
        boolean fresh = true;   // memory empty: first trial step 1/||pg||
        int stalled = 0;
        while (!stop && it < maxIterations && !(pgNorm <= threshold)) {
            double fOld = r.f;
            boolean ok = r.l1 == 0 ? iterateLbfgs(r, fresh, pgNorm) : iterateOwlqn(r, fresh, pgNorm);
            if (!ok) {
                if (fresh) break;          // even steepest descent cannot progress: precision limit
                r.reset();
                fresh = true;
                continue;
            }
            fresh = false;
            it++;
            pgNorm = Vec.pseudoGradient(r.w, r.g, r.l1, r.pg);
            stop = tracker.record(it, r.w);
            double dec = (fOld - r.f) / Math.max(1.0, Math.max(Math.abs(fOld), Math.abs(r.f)));
            stalled = dec <= relativeDecrease ? stalled + 1 : 0;
            if (stalled >= STALL_ITERATIONS) break;
        }
        tracker.finish();
        return new Result("lbfgs", problem, r.w, tracker.trace(), tracker.trainSeconds(), it, r.evals * problem.rows(), 1);
    }

    /** One L-BFGS iteration; false when the line search failed (state unchanged). */
    private boolean iterateLbfgs(Run r, boolean fresh, double gNorm) {
        if (fresh) r.reset();
        r.twoLoop(r.g);
        if (!(Vec.dot(r.g, r.dir) < 0)) {   // not a descent direction: restart from steepest descent
            r.reset();
            r.twoLoop(r.g);
            fresh = true;
        }
        double a = r.wolfe(fresh ? 1.0 / gNorm : 1.0);
        if (Double.isNaN(a) || !(r.fT <= r.f + fNoise(r.f))) return false;
        r.pushPair();
        r.acceptTrial();
        return true;
    }

    /** One OWL-QN iteration (r.pg holds the pseudo-gradient); false when the line search failed. */
    private boolean iterateOwlqn(Run r, boolean fresh, double pgNorm) {
        if (fresh) r.reset();
        int d = r.d;
        r.twoLoop(r.pg);
        // project the direction onto the sign pattern of -pg
        for (int j = 0; j < d; j++) if (r.dir[j] * r.pg[j] >= 0) r.dir[j] = 0;
        if (!(Vec.dot(r.pg, r.dir) < 0)) {
            r.reset();
            r.twoLoop(r.pg);
            fresh = true;
        }
        double a = fresh ? 1.0 / pgNorm : 1.0;
        for (int ls = 0; ls < MAX_LINE_SEARCH; ls++, a *= 0.5) {
            double dec = 0;
            for (int j = 0; j < d; j++) {
                double wj = r.w[j];
                double xi = wj != 0 ? Math.signum(wj) : -Math.signum(r.pg[j]);
                double t = wj + a * r.dir[j];
                if (t * xi <= 0) t = 0;
                r.wT[j] = t;
                dec += r.pg[j] * (t - wj);
            }
            double fT = r.evalTrial();
            if (fT <= r.f + C1 * dec) {
                if (dec == 0 && fT == r.f) return false;   // no movement possible
                r.pushPair();
                r.acceptTrial();
                return true;
            }
        }
        return false;
    }

    @Override public String toString() {
        return "lbfgs(m=" + memory + ", iterations=" + maxIterations + ", gtol=" + gradientTolerance
                + ", ftol=" + relativeDecrease + ")";
    }

    /** Configures an {@link Lbfgs}. */
    public static final class Builder {
        private int memory = 10;
        private int maxIterations = 1000;
        private double gradientTolerance = 1e-10;
        private double relativeDecrease = 0;

        private Builder() {}

        /** Curvature pairs kept, default 10. */
        public Builder memory(int m) {
            if (m < 1) throw new IllegalArgumentException("memory must be >= 1, got " + m);
            this.memory = m; return this;
        }
        /** Iteration cap, default 1000. */
        public Builder maxIterations(int it) {
            if (it < 0) throw new IllegalArgumentException("iterations must be >= 0, got " + it);
            this.maxIterations = it; return this;
        }
        /** Relative (pseudo-)gradient-norm tolerance, default 1e-10. */
        public Builder gradientTolerance(double tol) {
            if (!(tol >= 0)) throw new IllegalArgumentException("gradient tolerance must be >= 0, got " + tol);
            this.gradientTolerance = tol; return this;
        }
        /** Relative-decrease tolerance (3 consecutive iterations), default 0; a negative value disables the test. */
        public Builder relativeDecrease(double tol) {
            if (Double.isNaN(tol)) throw new IllegalArgumentException("relative decrease tolerance is NaN");
            this.relativeDecrease = tol; return this;
        }
        public Lbfgs build() { return new Lbfgs(this); }
    }
}
