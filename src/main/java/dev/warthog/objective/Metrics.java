package dev.warthog.objective;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.kernel.Kernels;

/** Accuracy (classification) and RMSE (regression) of a weight vector on a dataset. */
public final class Metrics {
    private Metrics() {}

    /** Fraction of rows with sign(x.w) == y (labels -1/+1; a zero margin counts as +1). */
    public static double accuracy(Dataset d, double[] w) {
        Row r = new Row();
        long ok = 0;
        for (int i = 0; i < d.rows(); i++) {
            d.row(i, r);
            double m = Kernels.dot(r, w);
            if ((m >= 0 ? 1.0 : -1.0) == r.label) ok++;
        }
        return d.rows() == 0 ? Double.NaN : (double) ok / d.rows();
    }

    /** sqrt(mean (x.w - y)^2). */
    public static double rmse(Dataset d, double[] w) {
        Row r = new Row();
        double s = 0;
        for (int i = 0; i < d.rows(); i++) {
            d.row(i, r);
            double e = Kernels.dot(r, w) - r.label;
            s += e * e;
        }
        return d.rows() == 0 ? Double.NaN : Math.sqrt(s / d.rows());
    }

    /** The metric that suits the loss: accuracy for classification, RMSE for regression. */
    public static double primary(Loss loss, Dataset d, double[] w) {
        return loss.isClassification() ? accuracy(d, w) : rmse(d, w);
    }

    /** Its name, for trace headers. */
    public static String primaryName(Loss loss) {
        return loss.isClassification() ? "accuracy" : "rmse";
    }
}
