package dev.warthog.model;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Loss;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A trained linear model: weights and the loss it was trained with. Predicts margins, and
 * for classification losses a label (+1/-1 in the internal convention, or mapped back to the
 * original label values when they are known).
 *
 * <p>File format (text, exact): a header line {@code warthog-model 1}, then
 * {@code loss NAME}, {@code dim D}, {@code labels LOW HIGH} (classification only), and one
 * weight per line in Java's shortest round-trip decimal form.
 */
public final class Model {
    private final double[] weights;
    private final Loss loss;
    private final double lowLabel;
    private final double highLabel;

    public Model(double[] weights, Loss loss) { this(weights, loss, -1, 1); }

    public Model(double[] weights, Loss loss, double lowLabel, double highLabel) {
        this.weights = weights;
        this.loss = loss;
        this.lowLabel = lowLabel;
        this.highLabel = highLabel;
    }

    /** The same model, predicting the given original label values. */
    public Model withLabels(double low, double high) { return new Model(weights, loss, low, high); }

    public double[] weights() { return weights; }
    public Loss loss() { return loss; }
    public int dim() { return weights.length; }

    /** x.w for one row (columns beyond the model's dimension are an error). */
    public double margin(Row r) { return Kernels.dot(r, weights); }

    /** Prediction for one row: the original label value for classification, x.w for regression. */
    public double predict(Row r) {
        double m = margin(r);
        return loss.isClassification() ? (m >= 0 ? highLabel : lowLabel) : m;
    }

    /** Predictions for every row of {@code d}. */
    public double[] predict(Dataset d) {
        if (d.cols() > weights.length)
            throw new IllegalArgumentException(d.source() + ": has " + d.cols() + " features, the model has " + weights.length);
        Dataset dd = d.withCols(weights.length);
        double[] out = new double[dd.rows()];
        Row r = new Row();
        for (int i = 0; i < out.length; i++) out[i] = predict(dd.row(i, r));
        return out;
    }

    /** Writes the model atomically (temp file, then move). */
    public void save(Path file) {
        dev.warthog.io.AtomicFiles.write(file, out -> {
            out.write("warthog-model 1\n");
            out.write("loss " + loss.cliName() + "\n");
            out.write("dim " + weights.length + "\n");
            if (loss.isClassification()) out.write("labels " + lowLabel + " " + highLabel + "\n");
            for (double w : weights) out.write(Double.toString(w) + "\n");
        });
    }

    /** Reads a model written by {@link #save}; malformed files fail with file and line. */
    public static Model load(Path file) {
        String f = file.toString();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            int lineNo = 1;
            String line = in.readLine();
            if (!"warthog-model 1".equals(line))
                throw new dev.warthog.data.DataFormatException(f, lineNo, 1, "expected header 'warthog-model 1'");
            line = in.readLine(); lineNo++;
            if (line == null || !line.startsWith("loss "))
                throw new dev.warthog.data.DataFormatException(f, lineNo, 1, "expected 'loss NAME'");
            Loss loss;
            try { loss = Loss.parse(line.substring(5).trim()); }
            catch (IllegalArgumentException e) { throw new dev.warthog.data.DataFormatException(f, lineNo, 6, e.getMessage()); }
            line = in.readLine(); lineNo++;
            int dim;
            try { dim = Integer.parseInt(line == null ? "" : line.replaceFirst("^dim ", "").trim()); }
            catch (NumberFormatException e) { throw new dev.warthog.data.DataFormatException(f, lineNo, 1, "expected 'dim D'"); }
            double lo = -1, hi = 1;
            if (loss.isClassification()) {
                line = in.readLine(); lineNo++;
                String[] p = line == null ? new String[0] : line.split(" ");
                if (p.length != 3 || !p[0].equals("labels"))
                    throw new dev.warthog.data.DataFormatException(f, lineNo, 1, "expected 'labels LOW HIGH'");
                lo = Double.parseDouble(p[1]);
                hi = Double.parseDouble(p[2]);
            }
            double[] w = new double[dim];
            for (int j = 0; j < dim; j++) {
                line = in.readLine(); lineNo++;
                try { w[j] = Double.parseDouble(line == null ? "" : line.trim()); }
                catch (NumberFormatException e) {
                    throw new dev.warthog.data.DataFormatException(f, lineNo, 1, "expected weight " + (j + 1) + " of " + dim
                            + (line == null ? ", found end of file" : ", found \"" + line + "\""));
                }
            }
            return new Model(w, loss, lo, hi);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + f + ": " + e.getMessage(), e);
        }
    }

    @Override public String toString() { return String.format(Locale.ROOT, "Model(%s, d=%d)", loss.cliName(), weights.length); }
}
