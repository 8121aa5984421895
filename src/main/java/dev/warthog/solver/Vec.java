package dev.warthog.solver;

/** Small dense-vector helpers shared by the full-gradient solvers (package-private). */
final class Vec {
    private Vec() {}

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }

    static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    static double norm1(double[] a) {
        double s = 0;
        for (double v : a) s += Math.abs(v);
        return s;
    }

    /**
     * Minimum-norm subgradient of F = f + l1||.||_1 at w, given g = grad f(w), written into
     * {@code out}: g_j + l1 sign(w_j) where w_j != 0, else the soft-threshold of g_j at l1
     * (the pseudo-gradient of OWL-QN, Andrew and Gao 2007, eq. (4)). With l1 = 0 it is g.
     * Returns its Euclidean norm, the first-order optimality measure (0 exactly at a minimiser).
     */
    static double pseudoGradient(double[] w, double[] g, double l1, double[] out) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            double gj = g[j], p;
            if (l1 == 0) p = gj;
            else if (w[j] > 0) p = gj + l1;
            else if (w[j] < 0) p = gj - l1;
            else if (gj + l1 < 0) p = gj + l1;
            else if (gj - l1 > 0) p = gj - l1;
            else p = 0;
            out[j] = p;
            s += p * p;
        }
        return Math.sqrt(s);
    }

    /** True for losses with a Lipschitz derivative (finite smoothness constant). */
    static boolean smooth(dev.warthog.objective.Problem p) {
        return Double.isFinite(p.loss().smoothness());
    }
}
