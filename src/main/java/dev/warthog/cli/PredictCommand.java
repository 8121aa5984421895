package dev.warthog.cli;

import dev.warthog.data.Dataset;
import dev.warthog.io.DataFiles;
import dev.warthog.io.Format;
import dev.warthog.model.Model;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code warthog predict}: apply a saved model to a data file. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict with a saved model: one prediction per line.")
final class PredictCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by train --save.")
    Path model;
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Data to predict (its labels give the reported accuracy).")
    Path data;
    @Option(names = "--format", description = "libsvm or csv (default: by extension).")
    String format;
    @Option(names = "--label-column", paramLabel = "COL", description = "CSV: label column, by name or 0-based position.")
    String labelColumn;
    @Option(names = "--bias", description = "The model was trained with --bias.")
    boolean bias;
    @Option(names = "--out", paramLabel = "FILE", description = "Write predictions here (default: stdout).")
    Path out;

    @Override public Integer call() {
        dev.warthog.io.AtomicFiles.checkWritable(out);
        Model m = Model.load(model);
        Dataset d = DataFiles.read(data, format == null ? Format.fromExtension(data) : Format.parse(format), labelColumn);
        if (bias) d = d.withCols(m.dim() - 1).withBias(1.0);
        double[] p = m.predict(d);
        StringBuilder sb = new StringBuilder(p.length * 8);
        long agree = 0;
        for (int i = 0; i < p.length; i++) {
            double v = p[i];
            sb.append(m.loss().isClassification() && v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)).append('\n');
            if (v == d.label(i)) agree++;
        }
        if (out == null) {
            spec.commandLine().getOut().print(sb);
            spec.commandLine().getOut().flush();
        } else {
            dev.warthog.io.AtomicFiles.write(out, w -> w.append(sb));
        }
        if (m.loss().isClassification())
            spec.commandLine().getErr().printf(Locale.ROOT, "accuracy %.4f on %d rows of %s%n", (double) agree / p.length, p.length, data);
        return 0;
    }
}
