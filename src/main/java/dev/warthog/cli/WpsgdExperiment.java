package dev.warthog.cli;

import dev.warthog.data.Dataset;
import dev.warthog.data.Labels;
import dev.warthog.gen.Generators;
import dev.warthog.io.DataFiles;
import dev.warthog.io.Format;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.trace.TracePoint;
import dev.warthog.trace.Tracker;
import dev.warthog.wpsgd.WpSgd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code warthog experiment wpsgd}: seed 001 section 5.2 (Figures 6 and 7) on the analog data.
 * Ten workers; Figure 6: eight of them get 5x the data of the other two (the two consume
 * 1/5 as many samples); Figure 7: two workers do nothing. Hinge loss, lambda = 0.01,
 * eta = 1e-4, every weight starting at 4; the test error rate against the updates of the
 * fastest worker for sequential SGD (one worker, all the data, as many updates as the fastest
 * worker), SimuParallel SGD on a balanced workload (ten equal workers), WP-SGD (eq. (6), and
 * eq. (8) with the paper's r = 0.99999) and averaging directly. Sequential and balanced runs
 * do not depend on the scenario and are run once.
 *
 * <p>Writes a table (stdout and PREFIX.md), PREFIX.csv, PREFIX-fig6.png/svg and
 * PREFIX-fig7.png/svg, and with {@code --json FILE}, per scenario and method, the final error
 * rate and the updates of the fastest worker (and training seconds) to reach the target: an
 * error rate within {@code --target-points} percentage points of sequential SGD's final one.
 */
@Command(name = "wpsgd", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Seed 001 section 5.2: WP-SGD vs SimuParallel SGD, averaging directly and sequential SGD on unbalanced workloads.")
final class WpsgdExperiment implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "Training data instead of the generated analog data (labels mapped to -1/+1).")
    Path data;
    @Option(names = "--test", paramLabel = "FILE", description = "Test data for --data (default: the last 10% of --data).")
    Path test;
    @Option(names = "--rows", defaultValue = "20000", description = "Analog training rows (default: ${DEFAULT-VALUE}; the paper: 460000).")
    int rows;
    @Option(names = "--test-rows", defaultValue = "5000", description = "Analog test rows (default: ${DEFAULT-VALUE}; the paper: 40000).")
    int testRows;
    @Option(names = "--cols", defaultValue = "100", description = "Analog columns (default: ${DEFAULT-VALUE}; the paper: 100000).")
    int cols;
    @Option(names = "--workers", defaultValue = "10", description = "Workers (default: ${DEFAULT-VALUE}); the last two are the slow or idle ones.")
    int workers;
    @Option(names = "--updates", defaultValue = "2000000", description = "Updates t of the fastest worker (default: ${DEFAULT-VALUE}).")
    long updates;
    @Option(names = "--checkpoints", defaultValue = "20", description = "Evaluations along the run (default: ${DEFAULT-VALUE}).")
    int checkpoints;
    @Option(names = "--step", defaultValue = "1e-4", description = "eta (default: ${DEFAULT-VALUE}).")
    double step;
    @Option(names = "--l2", defaultValue = "0.01", description = "lambda (default: ${DEFAULT-VALUE}).")
    double l2;
    @Option(names = "--w0", defaultValue = "4", description = "Initial value of every weight (default: ${DEFAULT-VALUE}).")
    double w0;
    @Option(names = "--r", defaultValue = "0.99999", description = "r of the eq. (8) run (default: ${DEFAULT-VALUE}, the paper's).")
    double r;
    @Option(names = "--slow-factor", defaultValue = "5", description = "Figure 6: the fast workers' data over the slow ones' (default: ${DEFAULT-VALUE}).")
    double slowFactor;
    @Option(names = "--threads", description = "OS threads (default: all cores); results do not depend on it.")
    Integer threads;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data and the runs (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--target-points", defaultValue = "1", description = "Target: sequential SGD's final error rate plus this many points (default: ${DEFAULT-VALUE}).")
    double targetPoints;
    @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Writes PREFIX.md, PREFIX.csv, PREFIX-fig6.png/svg, PREFIX-fig7.png/svg.")
    Path out;
    @Option(names = "--json", paramLabel = "FILE", description = "Final error rate and time to target per scenario and method.")
    Path json;

    /** One curve: test error rate at each checkpoint. */
    record Curve(String scenario, String method, String label, double[] updates, double[] seconds, double[] error, double objective) {
        double finalError() { return error[error.length - 1]; }
    }

    @Override public Integer call() {
        System.setProperty("java.awt.headless", "true");
        if (workers < 3) throw new IllegalArgumentException("--workers must be >= 3 (two of them are the slow or idle ones), got " + workers);
        if (checkpoints < 1) throw new IllegalArgumentException("--checkpoints must be >= 1, got " + checkpoints);
        if (updates < 1) throw new IllegalArgumentException("--updates must be >= 1, got " + updates);
        if (!(slowFactor >= 1)) throw new IllegalArgumentException("--slow-factor must be >= 1, got " + slowFactor);
        Outputs.check(out, json, "md", "csv");
        Outputs.check(Path.of(out + "-fig6"), null, "png", "svg");
        Outputs.check(Path.of(out + "-fig7"), null, "png", "svg");
        Dataset[] d = load();
        Problem p = Problem.of(d[0], Loss.HINGE, l2, 0);
        int th = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        long every = Math.max(1, updates / checkpoints);
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "%s: %d train rows, %d test rows, %d columns; hinge, lambda %g, eta %g, w0 %g, t = %d updates, %d workers, %d threads%n",
                d[0].source(), d[0].rows(), d[1].rows(), d[0].cols(), l2, step, w0, updates, workers, th);

        // Figure 6: fast workers have slowFactor x the data of the two slow ones
        double slowShare = 1.0 / (slowFactor * (workers - 2) + 2);
        String fig6 = (workers - 2) + ":" + slowShare + "," + (workers - 1) + ":" + slowShare;
        String fig7 = (workers - 2) + ":0," + (workers - 1) + ":0";
        Curve seq = run(p, d[1], "both", "sequential", "sequential SGD", WpSgd.Mode.SIMUPARALLEL, 1, null, Double.NaN, th, every);
        Curve bal = run(p, d[1], "both", "simuparallel", "SimuParallel SGD (balanced)", WpSgd.Mode.SIMUPARALLEL, workers, null, Double.NaN, th, every);
        Map<String, List<Curve>> scen = new LinkedHashMap<>();
        for (String[] s : new String[][] {{"fig6", fig6}, {"fig7", fig7}}) {
            List<Curve> cs = new ArrayList<>(List.of(seq, bal));
            cs.add(run(p, d[1], s[0], "wpsgd", "WP-SGD, eq. (6)", WpSgd.Mode.WPSGD, workers, s[1], Double.NaN, th, every));
            cs.add(run(p, d[1], s[0], "wpsgd-r", "WP-SGD, eq. (8) r = " + r, WpSgd.Mode.WPSGD, workers, s[1], r, th, every));
            cs.add(run(p, d[1], s[0], "average-directly", "averaging directly", WpSgd.Mode.AVERAGE_DIRECTLY, workers, s[1], Double.NaN, th, every));
            scen.put(s[0], cs);
        }
        double target = seq.finalError() + targetPoints / 100;

        List<String> header = List.of("scenario", "method", "final error %", "updates to target", "seconds to target", "final objective");
        List<List<String>> tableRows = new ArrayList<>();
        Map<String, Object> js = new LinkedHashMap<>();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("data", d[0].source());
        cfg.put("trainRows", d[0].rows());
        cfg.put("testRows", d[1].rows());
        cfg.put("cols", d[0].cols());
        cfg.put("workers", workers);
        cfg.put("updates", updates);
        cfg.put("step", step);
        cfg.put("l2", l2);
        cfg.put("w0", w0);
        cfg.put("r", r);
        cfg.put("seed", seed);
        cfg.put("threads", th);
        cfg.put("fig6Shares", fig6);
        cfg.put("fig7Shares", fig7);
        cfg.put("target", "test error <= sequential SGD's final error + " + targetPoints + " points");
        cfg.put("targetError", target);
        js.put("config", cfg);
        for (var e : scen.entrySet()) {
            Map<String, Object> sj = new LinkedHashMap<>();
            for (Curve c : e.getValue()) {
                int hit = -1;
                for (int i = 0; i < c.error().length; i++) if (c.error()[i] <= target) { hit = i; break; }
                tableRows.add(List.of(e.getKey(), c.label(), String.format(Locale.ROOT, "%.2f", 100 * c.finalError()),
                        hit < 0 ? "-" : Long.toString((long) c.updates()[hit]),
                        hit < 0 ? "-" : String.format(Locale.ROOT, "%.3f", c.seconds()[hit]),
                        String.format(Locale.ROOT, "%.6g", c.objective())));
                Map<String, Object> mj = new LinkedHashMap<>();
                mj.put("finalErrorRate", c.finalError());
                mj.put("updatesToTarget", hit < 0 ? null : (long) c.updates()[hit]);
                mj.put("secondsToTarget", hit < 0 ? null : c.seconds()[hit]);
                mj.put("finalObjective", c.objective());
                sj.put(c.method(), mj);
            }
            js.put(e.getKey(), sj);
        }
        String table = Charts.markdown(header, tableRows);
        pw.println();
        pw.print(table);
        pw.printf(Locale.ROOT, "%ntarget: test error <= %.2f%% (sequential SGD's final %.2f%% + %s points)%n",
                100 * target, 100 * seq.finalError(), targetPoints);

        Path md = Path.of(out + ".md"), csv = Path.of(out + ".csv");
        String mdText = "# WP-SGD experiment (seed 001 section 5.2)\n\n"
                + String.format(Locale.ROOT, "%s; hinge, lambda %g, eta %g, w0 %g, %d workers, t = %d updates of the fastest worker, seed %d.%n%n",
                d[0].source(), l2, step, w0, workers, updates, seed)
                + "fig6: workers " + (workers - 2) + " and " + (workers - 1) + " get 1/" + fmt(slowFactor)
                + " of the others' data (--shares " + fig6 + "); fig7: they do nothing (--shares " + fig7 + ").\n\n"
                + table + String.format(Locale.ROOT, "%nTarget: test error <= %.2f%% (sequential SGD's final error + %s points).%n",
                100 * target, targetPoints);
        Outputs.text(md, mdText);
        dev.warthog.io.AtomicFiles.write(csv, w -> {
            w.write("scenario,method,updates,seconds,test_error\n");
            for (var e : scen.entrySet())
                for (Curve c : e.getValue())
                    for (int i = 0; i < c.error().length; i++)
                        w.write(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f%n", e.getKey(), c.method(), (long) c.updates()[i],
                                c.seconds()[i], c.error()[i]));
        });
        for (var e : scen.entrySet()) {
            List<Charts.Series> series = new ArrayList<>();
            for (Curve c : e.getValue()) series.add(new Charts.Series(c.label(), c.updates(), pct(c.error())));
            String title = e.getKey().equals("fig6")
                    ? "Two slow workers (1/" + fmt(slowFactor) + " of the data) - seed 001 Figure 6"
                    : "Two workers that do nothing - seed 001 Figure 7";
            Charts.write(Path.of(out + "-" + e.getKey()), new Charts.Axes(title, "updates of the fastest worker", "test error rate (%)", false, false), series);
        }
        if (json != null) Json.write(json, js);
        pw.printf("%nwrote %s.md, %s.csv, %s-fig6.png/svg, %s-fig7.png/svg%s%n", out, out, out, out, json == null ? "" : ", " + json);
        return 0;
    }

    private Curve run(Problem p, Dataset test, String scenario, String method, String label, WpSgd.Mode mode, int m,
                      String shares, double rr, int th, long every) {
        WpSgd.Builder b = WpSgd.builder(mode).workers(m).threads(th).step(step).seed(seed).initialWeight(w0)
                .updates(updates).checkpointEvery(every).shares(shares);
        if (!Double.isNaN(rr)) b.r(rr);
        Tracker tr = Tracker.builder(p).test(test).build();
        Result res = b.build().solve(p, tr);
        long[] cp = (long[]) res.extras().get("checkpointUpdates");
        List<TracePoint> pts = res.trace().points();
        double[] x = new double[pts.size()], s = new double[pts.size()], e = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[i] = cp[pts.get(i).epoch()];
            s[i] = pts.get(i).seconds();
            e[i] = 1 - pts.get(i).testMetric();
        }
        spec.commandLine().getErr().printf(Locale.ROOT, "  %-4s %-28s final test error %.2f%% (%.2f s)%n",
                scenario, label, 100 * e[e.length - 1], res.trainSeconds());
        return new Curve(scenario, method, label, x, s, e, res.objective());
    }

    private Dataset[] load() {
        if (data == null) {
            if (test != null) throw new IllegalArgumentException("--test needs --data");
            if (rows < 1 || testRows < 1) throw new IllegalArgumentException("--rows and --test-rows must be >= 1");
            Dataset all = Generators.analog(rows + testRows, cols, seed);
            return new Dataset[] {all.copyRows(0, rows), all.copyRows(rows, rows + testRows)};
        }
        Dataset train = Labels.toBinary(DataFiles.read(data, Format.fromExtension(data)));
        Dataset tst;
        if (test != null) {
            tst = Labels.toBinary(DataFiles.read(test, Format.fromExtension(test)));
        } else {
            int n = train.rows(), cut = n - Math.max(1, n / 10);
            if (cut < 1) throw new IllegalArgumentException(data + ": too few rows to split off a test set");
            tst = train.copyRows(cut, n);
            train = train.copyRows(0, cut);
        }
        if (tst.cols() > train.cols()) train = train.withCols(tst.cols());
        else if (tst.cols() < train.cols()) tst = tst.withCols(train.cols());
        return new Dataset[] {train, tst};
    }

    private static double[] pct(double[] a) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = 100 * a[i];
        return o;
    }

    private static String fmt(double x) { return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x); }
}
