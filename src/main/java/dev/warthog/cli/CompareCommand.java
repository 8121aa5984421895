package dev.warthog.cli;

import dev.warthog.Training;
import dev.warthog.Warthog;
import dev.warthog.data.Dataset;
import dev.warthog.objective.Loss;
import dev.warthog.solver.Lbfgs;
import dev.warthog.trace.TracePoint;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code warthog compare}: several algorithms on one dataset and one objective. F* comes
 * from L-BFGS run to a gradient norm of 1e-12 (relative), every run is traced each epoch
 * (evaluation off the clock), and the command writes one CSV, one plot of relative
 * suboptimality (F - F*)/F* against training seconds on a log scale (PNG and SVG), and
 * prints one table with the time each run took to reach 1e-3, 1e-6 and 1e-9.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run several algorithms on one dataset: a CSV, a suboptimality plot (PNG, SVG) and a table.")
final class CompareCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions dataOptions;

    @Option(names = "--run", required = true, paramLabel = "NAME[@THREADS]",
            description = "An algorithm to run, optionally with a thread count (repeat: --run saga --run asaga@2).")
    List<String> runs;
    @Option(names = "--loss", defaultValue = "logistic", description = "Loss (default: ${DEFAULT-VALUE}).")
    String loss;
    @Option(names = "--l2", defaultValue = "1e-5", description = "L2 penalty (default: ${DEFAULT-VALUE}).")
    double l2;
    @Option(names = "--l1", defaultValue = "0", description = "L1 penalty (default: ${DEFAULT-VALUE}).")
    double l1;
    @Option(names = "--epochs", defaultValue = "30", description = "Epochs (iterations) per run (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--target", defaultValue = "1e-9", description = "Stop a run once its relative suboptimality is below this (default: ${DEFAULT-VALUE}).")
    double target;
    @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Writes PREFIX.csv, PREFIX.png and PREFIX.svg.")
    Path out;

    record Run(String label, String algorithm, int threads, List<TracePoint> trace) {}

    static final double[] TARGETS = {1e-3, 1e-6, 1e-9};

    @Override public Integer call() {
        System.setProperty("java.awt.headless", "true");  // plots are drawn off-screen, also without a display
        Dataset[] d = dataOptions.load(spec, seed);
        Loss lossFn = Loss.parse(loss);
        PrintWriter pw = spec.commandLine().getOut();
        List<Run> results = new ArrayList<>();
        // parse every --run before any work, so a typo fails at once
        List<String[]> parsed = new ArrayList<>();
        for (String r : runs) {
            String[] p = r.split("@", 2);
            int threads = 1;
            if (p.length == 2) {
                try { threads = Integer.parseInt(p[1]); }
                catch (NumberFormatException e) { throw new IllegalArgumentException("--run " + r + ": expected NAME or NAME@THREADS"); }
            }
            Warthog.train(d[0]).algorithm(p[0]).options(o -> o.seed(seed)).threads(threads).resolveSolver();
            parsed.add(new String[] {p[0], Integer.toString(threads)});
        }
        // the outputs too, before the reference optimum and the runs
        List<Path> plots = Charts.files(out);
        dev.warthog.io.AtomicFiles.checkWritable(csvFile(), plots.get(0), plots.get(1));
        Training.Fit ref = Warthog.train(d[0]).loss(lossFn).l2(l2).l1(l1)
                .solver(Lbfgs.builder().maxIterations(10_000).gradientTolerance(1e-12).build())
                .evalEvery(Integer.MAX_VALUE).run();
        double fStar = ref.objective();
        pw.printf(Locale.ROOT, "F* = %.15g (L-BFGS, %d iterations) on %s%n%n", fStar, ref.result().epochs(), d[0]);
        for (String[] p : parsed) {
            int threads = Integer.parseInt(p[1]);
            Training.Fit f = Warthog.train(d[0]).loss(lossFn).l2(l2).l1(l1).algorithm(p[0]).epochs(epochs)
                    .options(o -> o.seed(seed)).threads(threads).targetObjective(fStar * (1 + target)).run();
            String label = p[0] + (threads > 1 || isParallel(p[0]) ? " x" + threads : "");
            results.add(new Run(label, p[0], threads, f.trace().points()));
        }
        writeCsv(results, fStar);
        plot(results, fStar);
        pw.printf("%-16s %7s %10s %12s", "algorithm", "epochs", "seconds", "final subopt");
        for (double t : TARGETS) pw.printf(" %10s", "t(" + fmtTarget(t) + ")");
        pw.println();
        for (Run r : results) {
            TracePoint last = r.trace().get(r.trace().size() - 1);
            pw.printf(Locale.ROOT, "%-16s %7d %10.3f %12.2e", r.label(), last.epoch(), last.seconds(), subopt(last.objective(), fStar));
            for (double t : TARGETS) {
                double s = timeTo(r.trace(), fStar, t);
                pw.printf(Locale.ROOT, " %10s", Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.3f s", s));
            }
            pw.println();
        }
        pw.printf("%nwrote %s.csv, %s.png, %s.svg%n", out, out, out);
        return 0;
    }

    private static boolean isParallel(String name) {
        return name.equals("hogwild") || name.equals("asaga") || name.equals("proxasaga") || name.equals("async-iag");
    }

    static double subopt(double f, double fStar) { return Math.max(0, (f - fStar) / Math.abs(fStar)); }

    /** Training seconds of the first evaluation at or below the target, NaN if none. */
    static double timeTo(List<TracePoint> trace, double fStar, double target) {
        for (TracePoint p : trace) if (subopt(p.objective(), fStar) <= target) return p.seconds();
        return Double.NaN;
    }

    private static String fmtTarget(double t) { return String.format(Locale.ROOT, "%.0e", t).replace("e-0", "e-"); }

    private Path csvFile() { return Path.of(out + ".csv"); }

    private void writeCsv(List<Run> results, double fStar) {
        dev.warthog.io.AtomicFiles.write(csvFile(), w -> {
            w.write("algorithm,threads,epoch,seconds,objective,rel_subopt\n");
            for (Run r : results)
                for (TracePoint p : r.trace())
                    w.write(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.17g,%.6e%n", r.algorithm(), r.threads(), p.epoch(),
                            p.seconds(), p.objective(), subopt(p.objective(), fStar)));
        });
    }

    private void plot(List<Run> results, double fStar) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Relative suboptimality (F - F*)/F* versus training time").xAxisTitle("training seconds")
                .yAxisTitle("(F - F*) / F*").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisDecimalPattern("0.0E0");
        for (Run r : results) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (TracePoint p : r.trace()) {
                double s = subopt(p.objective(), fStar);
                if (s > 0) { xs.add(p.seconds()); ys.add(Math.max(s, 1e-16)); }
            }
            if (xs.isEmpty()) continue;
            XYSeries series = chart.addSeries(r.label(), xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        List<Path> files = Charts.files(out);
        Charts.save(chart, files.get(0), files.get(1));
    }
}
