package dev.warthog.trace;

import java.nio.file.Path;
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
        dev.warthog.io.AtomicFiles.write(file, out -> {
            out.write("epoch,seconds,objective,train_" + metricName + ",test_" + metricName + "\n");
            for (TracePoint p : points)
                out.write(String.format(Locale.ROOT, "%d,%.6f,%.17g,%.6f,%s%n", p.epoch(), p.seconds(), p.objective(),
                        p.trainMetric(), Double.isNaN(p.testMetric()) ? "" : String.format(Locale.ROOT, "%.6f", p.testMetric())));
        });
    }
}
