package dev.warthog.jmh.io;

import dev.warthog.data.Dataset;
import dev.warthog.io.LibsvmReader;
import dev.warthog.io.LibsvmWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * LIBSVM parsing throughput: {@link LibsvmReader#read(Path)} of a whole file, from the page
 * cache. Throughput in MB/s is file size / time per read; the setup prints the size.
 *
 * <p>The file is {@code -Dwarthog.bench.file=PATH} when given; otherwise an analog-like file
 * (460,000 rows, 100,000 features, 5-10 non-zeros per row, unit-norm rows) is generated once
 * into {@code -Dwarthog.bench.dir} (default {@code java.io.tmpdir/warthog-bench}) and kept,
 * so other tools can read the very same bytes: {@code analog-6.svm} with 6 significant
 * digits (~53 MB), {@code analog-full.svm} with shortest round-trip doubles.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar ParserBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g" })
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class ParserBenchmark {
    /** Significant digits of the generated file's values; 0 = full precision (shortest round trip). */
    @Param({ "6", "0" })
    public int digits;

    private Path file;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        String given = System.getProperty("warthog.bench.file");
        if (given != null && !given.isEmpty()) {
            file = Path.of(given);
        } else {
            Path dir = Path.of(System.getProperty("warthog.bench.dir",
                    Path.of(System.getProperty("java.io.tmpdir"), "warthog-bench").toString()));
            file = generate(dir, digits);
        }
        Dataset d = LibsvmReader.read(file);
        System.out.printf("%n# file %s: %d bytes, %d rows, %d cols, %d non-zeros, %d bytes in memory (%.2f per non-zero)%n",
                file, Files.size(file), d.rows(), d.cols(), d.nnz(), d.bytes(), (double) d.bytes() / d.nnz());
    }

    @Benchmark
    public Dataset read() {
        return LibsvmReader.read(file);
    }

    /** Writes (once; reused when present) the analog-like file for {@code digits}. */
    public static Path generate(Path dir, int digits) throws IOException {
        Path f = dir.resolve(digits == 0 ? "analog-full.svm" : "analog-" + digits + ".svm");
        if (Files.isRegularFile(f)) return f;
        Files.createDirectories(dir);
        LibsvmWriter.builder().significantDigits(digits).write(analog(460_000, 100_000, 42), f);
        return f;
    }

    /**
     * n rows, d features, 5-10 distinct random columns per row with uniform (0,1] values
     * scaled to unit L2 norm; label sign(sum_j x_j (j mod 4) (-1)^j), ties +1.
     */
    public static Dataset analog(int n, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] ptr = new int[n + 1];
        int[] idx = new int[n * 10];
        double[] val = new double[n * 10];
        double[] y = new double[n];
        int k = 0;
        int[] cols = new int[10];
        for (int i = 0; i < n; i++) {
            int m = 5 + rnd.nextInt(6);
            int c = 0;
            while (c < m) {
                int j = rnd.nextInt(d);
                boolean dup = false;
                for (int t = 0; t < c; t++) dup |= cols[t] == j;
                if (!dup) cols[c++] = j;
            }
            java.util.Arrays.sort(cols, 0, m);
            double norm = 0;
            for (int t = 0; t < m; t++) {
                double v = 1.0 - rnd.nextDouble();
                idx[k + t] = cols[t];
                val[k + t] = v;
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            double s = 0;
            for (int t = 0; t < m; t++) {
                val[k + t] /= norm;
                int j = cols[t];
                s += val[k + t] * (j % 4) * ((j & 1) == 0 ? 1 : -1);
            }
            y[i] = s >= 0 ? 1 : -1;
            k += m;
            ptr[i + 1] = k;
        }
        return Dataset.sparse(n, d, ptr, java.util.Arrays.copyOf(idx, k), java.util.Arrays.copyOf(val, k), y, "analog(" + n + "," + d + "," + seed + ")");
    }
}
