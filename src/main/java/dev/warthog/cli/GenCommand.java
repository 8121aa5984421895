package dev.warthog.cli;

import dev.warthog.data.Dataset;
import dev.warthog.gen.Generators;
import dev.warthog.io.LibsvmWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code warthog gen}: write a synthetic dataset in LIBSVM format. */
@Command(name = "gen", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a seeded synthetic dataset in LIBSVM format.")
final class GenCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--kind", required = true, description = "analog, dense-logistic, dense-linear or text.")
    String kind;
    @Option(names = "--rows", description = "Rows (default: analog 460000, text 100000, dense 100000).")
    Integer rows;
    @Option(names = "--cols", description = "Columns (default: analog 100000, text 50000, dense 64).")
    Integer cols;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--digits", defaultValue = "0", description = "Significant digits of the values; 0 = exact round trip (default: ${DEFAULT-VALUE}).")
    int digits;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file.")
    Path out;

    @Override public Integer call() {
        Generators.Kind k = Generators.Kind.parse(kind);
        dev.warthog.io.AtomicFiles.checkWritable(out);
        Dataset d = k.generate(rows == null ? k.defaultRows() : rows, cols == null ? k.defaultCols() : cols, seed);
        LibsvmWriter.builder().significantDigits(digits).write(d, out);
        spec.commandLine().getOut().printf("wrote %s: %d rows, %d columns, %d non-zeros%n", out, d.rows(), d.cols(), d.nnz());
        return 0;
    }
}
