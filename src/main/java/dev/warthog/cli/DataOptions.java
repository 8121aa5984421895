package dev.warthog.cli;

import dev.warthog.data.Dataset;
import dev.warthog.gen.Generators;
import dev.warthog.io.DataFiles;
import dev.warthog.io.Format;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the training (and test) data come from: a file, or a generator. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "FILE", description = "Training data (LIBSVM, or CSV by extension or --format).")
    Path data;

    @Option(names = "--test", paramLabel = "FILE", description = "Test data, same format as --data.")
    Path test;

    @Option(names = "--format", paramLabel = "FMT", description = "libsvm or csv (default: by extension).")
    String format;

    @Option(names = "--label-column", paramLabel = "COL", description = "CSV: label column, by name or 0-based position (default: first).")
    String labelColumn;

    @Option(names = "--gen", paramLabel = "KIND", description = "Generate the data instead: analog, dense-logistic, dense-linear or text.")
    String gen;

    @Option(names = "--rows", description = "Rows to generate (default per kind).")
    Integer rows;

    @Option(names = "--cols", description = "Columns to generate (default per kind).")
    Integer cols;

    @Option(names = "--test-rows", paramLabel = "N", description = "With --gen: also generate N test rows from the same distribution.", defaultValue = "0")
    int testRows;

    @Option(names = "--bias", description = "Add a constant feature 1 (an intercept, penalised like the other weights).")
    boolean bias;

    /** Training and (possibly null) test set. */
    Dataset[] load(CommandLine.Model.CommandSpec spec, long seed) {
        if ((data == null) == (gen == null))
            throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --data FILE or --gen KIND");
        Dataset train, tst = null;
        if (gen != null) {
            Generators.Kind kind = Generators.Kind.parse(gen);
            int n = rows == null ? kind.defaultRows() : rows;
            if (n < 1 || testRows < 0) throw new IllegalArgumentException("--rows must be >= 1 and --test-rows >= 0");
            Dataset all = kind.generate(n + testRows, cols == null ? kind.defaultCols() : cols, seed);
            if (testRows > 0) {
                // one stream of rows, cut in two: the test rows follow the same law as the training rows
                train = all.copyRows(0, n);
                tst = all.copyRows(n, n + testRows);
            } else {
                train = all;
            }
        } else {
            Format f = format == null ? Format.fromExtension(data) : Format.parse(format);
            train = DataFiles.read(data, f, labelColumn);
            if (test != null) tst = DataFiles.read(test, f, labelColumn);
        }
        if (tst != null && tst.cols() > train.cols()) train = train.withCols(tst.cols());
        if (bias) {
            train = train.withBias(1.0);
            if (tst != null) tst = tst.withCols(train.cols() - 1).withBias(1.0);
        }
        return new Dataset[] {train, tst};
    }
}
