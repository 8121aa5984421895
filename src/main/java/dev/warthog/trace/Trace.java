package dev.warthog.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The sequence of evaluations of one run; written as CSV {@code epoch,seconds,objective,train_M,test_M}. */
public final class Trace {
    private final String metricName;
    private final List<TracePoint> points = new ArrayList<>();

    public Trace(String metricName) { this.metricName = metricName; }

    public String metricName() { return metricName; }
    public void add(TracePoint p) { points.add(p); }
    public List<TracePoint> points() { return Collections.unmodifiableList(points); }
    public int size() { return points.size(); }
    public TracePoint last() { return points.isEmpty() ? null : points.get(points.size() - 1); }

    /** Writes the CSV atomically (temp file, then move), so a failed run leaves no half file. */
    public void writeCsv(Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp)) {
            out.write("epoch,seconds,objective,train_" + metricName + ",test_" + metricName + "\n");
            for (TracePoint p : points)
                out.write(String.format(Locale.ROOT, "%d,%.6f,%.17g,%.6f,%s%n", p.epoch(), p.seconds(), p.objective(),
                        p.trainMetric(), Double.isNaN(p.testMetric()) ? "" : String.format(Locale.ROOT, "%.6f", p.testMetric())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace " + file + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace " + file + ": " + e.getMessage(), e);
        }
    }
}
