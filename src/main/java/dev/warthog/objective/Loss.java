package dev.warthog.objective;

/**
 * A loss of the margin m = x.w against the label y. Every loss gives its value, its
 * derivative in the margin (the gradient of the sample is {@code derivative * x}) and a
 * bound on its second derivative (the smoothness constant used for default step sizes).
 * Evaluation is numerically stable for any finite margin.
 */
public enum Loss {
    /** log(1 + exp(-y m)); labels -1/+1. Smoothness 1/4. */
    LOGISTIC("logistic", true, 0.25) {
        @Override public double value(double m, double y) {
            double z = y * m;
            return z > 0 ? log1p(Math.exp(-z)) : -z + log1p(Math.exp(z));
        }
        @Override public double derivative(double m, double y) {
            double z = y * m;
            if (z > 0) {
                double e = Math.exp(-z);
                return -y * e / (1 + e);
            }
            return -y / (1 + Math.exp(z));
        }
    },
    /** 0.5 (m - y)^2; labels as they are. Smoothness 1. */
    SQUARED("squared", false, 1.0) {
        @Override public double value(double m, double y) { double r = m - y; return 0.5 * r * r; }
        @Override public double derivative(double m, double y) { return m - y; }
    },
    /** max(0, 1 - y m); labels -1/+1; the derivative is a subgradient (-y where y m < 1). Not smooth. */
    HINGE("hinge", true, Double.POSITIVE_INFINITY) {
        @Override public double value(double m, double y) { return Math.max(0, 1 - y * m); }
        @Override public double derivative(double m, double y) { return y * m < 1 ? -y : 0; }
    },
    /**
     * Smoothed hinge with gamma = 1 (Shalev-Shwartz and Zhang): 0 for z >= 1,
     * (1-z)^2/2 for 0 < z < 1, 1/2 - z for z <= 0, where z = y m. Smoothness 1.
     */
    SMOOTH_HINGE("smooth-hinge", true, 1.0) {
        @Override public double value(double m, double y) {
            double z = y * m;
            if (z >= 1) return 0;
            if (z <= 0) return 0.5 - z;
            double r = 1 - z;
            return 0.5 * r * r;
        }
        @Override public double derivative(double m, double y) {
            double z = y * m;
            if (z >= 1) return 0;
            if (z <= 0) return -y;
            return -y * (1 - z);
        }
    };

    private final String cliName;
    private final boolean classification;
    private final double smoothness;

    Loss(String cliName, boolean classification, double smoothness) {
        this.cliName = cliName;
        this.classification = classification;
        this.smoothness = smoothness;
    }

    /** loss(y, m). */
    public abstract double value(double margin, double y);

    /** d loss / d margin at (m, y). */
    public abstract double derivative(double margin, double y);

    /** Upper bound on d^2 loss / d margin^2 (infinite for the hinge loss). */
    public double smoothness() { return smoothness; }

    /** True for losses that take -1/+1 labels. */
    public boolean isClassification() { return classification; }

    /** The name used on the command line. */
    public String cliName() { return cliName; }

    /** Parses a command-line name ("logistic", "squared", "hinge", "smooth-hinge"). */
    public static Loss parse(String name) {
        for (Loss l : values()) if (l.cliName.equals(name)) return l;
        throw new IllegalArgumentException("unknown loss '" + name + "': expected logistic, squared, hinge or smooth-hinge");
    }

    /**
     * log(1 + e) for e >= 0, within a few ulps: the intrinsic {@link Math#log} of the rounded
     * u = 1 + e, corrected by e / (u - 1) for the rounding of u (Goldberg, "What every computer
     * scientist should know about floating-point arithmetic", Theorem 4). {@link Math#log1p}
     * is not an intrinsic, and in the full-gradient pass it cost more than the exp; Math.log
     * and Math.exp run the same stubs in the interpreter and the compilers, so a value does not
     * change its bits when its caller gets compiled.
     */
    public static double log1p(double e) {
        double u = 1 + e;
        return u == 1 ? e : Math.log(u) * (e / (u - 1));
    }
}
