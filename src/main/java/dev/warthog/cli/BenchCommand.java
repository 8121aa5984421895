package dev.warthog.cli;

import dev.warthog.Training;
import dev.warthog.Warthog;
import dev.warthog.data.Dataset;
import dev.warthog.objective.Loss;
import dev.warthog.solver.Result;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code warthog bench}: measurements of the library itself. {@code bench speedup} is seed
 * 000's Figure 2: the run time of one algorithm at 1..N threads, the speedup T(1)/T(t)
 * against the ideal line t, and where each iteration's time goes (compute, barrier wait,
 * aggregation), from the figures the parallel solvers report in {@link Result#extras()}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of the library (see the subcommands).",
        subcommands = {BenchCommand.Speedup.class, CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: speedup (see --help)");
    }

    /** The solvers whose results depend on their logical workers M (default: the thread count), never on the threads. */
    static final List<String> LOGICAL_WORKERS = List.of("minibatch-sgd", "local-sgd", "adacomm", "fedavg", "simuparallel",
            "wpsgd", "average-directly");

    /** One thread count's timed runs and the per-iteration time split of its median run. */
    record Row(int threads, double[] seconds, double median, double speedup, double efficiency,
               double iterations, double computeMs, double barrierMs, double aggregateMs) {
        double min() { return Arrays.stream(seconds).min().orElse(Double.NaN); }
        double max() { return Arrays.stream(seconds).max().orElse(Double.NaN); }
    }

    /** {@code warthog bench speedup}: seed 000 Figure 2 for any algorithm. */
    @Command(name = "speedup", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run an algorithm at 1..N threads and report the median training time, the speedup T(base)/T(t) "
                    + "against the ideal line, and the time per iteration split into compute, barrier wait and aggregation.",
                    "Evaluation is off during the runs (only training seconds are timed)."})
    static final class Speedup implements java.util.concurrent.Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin DataOptions dataOptions;
        @Mixin ParallelOptions parallelOptions;

        @Option(names = "--algorithm", required = true, description = "Any solver name of 'train --algorithm' (hogwild, gd, minibatch-sgd, ...).")
        String algorithm;
        @Option(names = "--loss", defaultValue = "logistic", description = "logistic, squared, hinge or smooth-hinge (default: ${DEFAULT-VALUE}).")
        String loss;
        @Option(names = "--l2", defaultValue = "0", description = "L2 penalty (default: ${DEFAULT-VALUE}).")
        double l2;
        @Option(names = "--l1", defaultValue = "0", description = "L1 penalty (default: ${DEFAULT-VALUE}).")
        double l1;
        @Option(names = "--epochs", description = "Epochs or iterations of every run.")
        Integer epochs;
        @Option(names = "--step", description = "Step size.")
        Double step;
        @Option(names = "--batch", description = "Mini-batch size.")
        Integer batch;
        @Option(names = "--seed", defaultValue = "1", description = "Seed of the data generator and the solver (default: ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--max-threads", paramLabel = "N", description = "Largest thread count when --threads is not given (default: the cores).")
        Integer maxThreads;
        @Option(names = "--threads", paramLabel = "LIST", split = ",", description = "Thread counts, e.g. 1,2,4 (default 1..N).")
        List<Integer> threads;
        @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "Timed runs per thread count; the median is reported (default: ${DEFAULT-VALUE}).")
        int repeat;
        @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "One untimed run before the timed runs of each thread count (default: on; --no-warmup turns it off).")
        boolean warmup;
        @Option(names = "--out", paramLabel = "PREFIX", description = "Write PREFIX.md (table), PREFIX.csv (every run) and PREFIX.png/.svg (plot).")
        Path out;
        @Option(names = "--json", paramLabel = "FILE.json", description = "Write the table as JSON.")
        Path json;

        @Override public Integer call() {
            List<Integer> counts = threadCounts();
            if (repeat < 1) throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
            Dataset[] d = dataOptions.load(spec, seed);
            Loss lossFn = Loss.parse(loss);
            for (int t : counts) checked(d[0], lossFn, t);   // argument errors before any work
            PrintWriter err = spec.commandLine().getErr();
            if (parallelOptions.workers == null && LOGICAL_WORKERS.contains(algorithm.trim()))
                err.println("bench speedup: note: without --workers, " + algorithm + " runs M = threads logical workers, so every "
                        + "thread count computes something different; give --workers M to time the same work at every count");
            List<double[]> times = new ArrayList<>();
            List<Result> medianRuns = new ArrayList<>();
            for (int t : counts) {
                if (warmup) run(d[0], lossFn, t);
                double[] s = new double[repeat];
                Result[] rs = new Result[repeat];
                for (int k = 0; k < repeat; k++) {
                    rs[k] = run(d[0], lossFn, t);
                    s[k] = rs[k].trainSeconds();
                }
                times.add(s);
                medianRuns.add(rs[medianIndex(s)]);
                err.printf(Locale.ROOT, "bench speedup: %s at %d thread%s: median %.4f s%n", algorithm, t, t == 1 ? "" : "s", median(s));
            }
            List<Row> rows = rows(counts, times, medianRuns);
            String table = table(rows, counts.get(0));
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%s on %d x %d (%s), %d timed run%s per thread count%s%n%n", algorithm, d[0].rows(), d[0].cols(),
                    d[0].source(), repeat, repeat == 1 ? "" : "s", warmup ? " after one warm-up" : "");
            o.print(table);
            o.flush();
            if (out != null) write(rows, table, d[0], out, algorithm);
            if (json != null) Json.write(json, jsonSummary(rows, d[0]));
            return 0;
        }

        /** The thread counts to run, ascending and distinct. */
        List<Integer> threadCounts() {
            int n = maxThreads != null ? maxThreads : Runtime.getRuntime().availableProcessors();
            if (n < 1) throw new IllegalArgumentException("--max-threads must be >= 1, got " + n);
            if (threads == null || threads.isEmpty()) {
                List<Integer> l = new ArrayList<>();
                for (int t = 1; t <= n; t++) l.add(t);
                return l;
            }
            TreeSet<Integer> s = new TreeSet<>();
            for (Integer t : threads) {
                if (t == null || t < 1) throw new IllegalArgumentException("--threads: expected thread counts >= 1, e.g. 1,2,4; got " + threads);
                s.add(t);
            }
            return List.copyOf(s);
        }

        private Training configure(Dataset data, Loss lossFn, int t) {
            Training tr = Warthog.train(data).loss(lossFn).l2(l2).l1(l1).algorithm(algorithm)
                    .evalEvery(Integer.MAX_VALUE)   // evaluation off: only training is timed
                    .options(o -> {
                        o.seed(seed).threads(t).batch(batch);
                        parallelOptions.apply(o);
                    });
            if (epochs != null) tr.epochs(epochs);
            if (step != null) tr.step(step);
            return tr;
        }

        /** The training at {@code t} threads, its solver resolved: a rejection names the thread count. */
        private Training checked(Dataset data, Loss lossFn, int t) {
            try {
                Training tr = configure(data, lossFn, t);
                tr.resolveSolver();
                return tr;
            } catch (IllegalArgumentException e) {
                if (!dev.warthog.solver.Solvers.NAMES.contains(algorithm.trim())) throw e;
                throw new IllegalArgumentException("solver " + algorithm + " rejects --threads " + t + ": " + e.getMessage(), e);
            }
        }

        private Result run(Dataset data, Loss lossFn, int t) {
            Result r = checked(data, lossFn, t).run().result();
            // a solver that quietly ran on fewer threads would give a meaningless speedup
            if (r.threads() > 0 && r.threads() != t)
                throw new IllegalArgumentException("solver " + algorithm + " ran on " + r.threads() + " thread"
                        + (r.threads() == 1 ? "" : "s") + " when " + t + " were asked (it does not run in parallel at that count)");
            return r;
        }
    }

    static double median(double[] s) {
        double[] c = s.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }

    /** The run closest to the median (its time split is reported). */
    static int medianIndex(double[] s) {
        double m = median(s);
        int best = 0;
        for (int i = 1; i < s.length; i++) if (Math.abs(s[i] - m) < Math.abs(s[best] - m)) best = i;
        return best;
    }

    /**
     * Speedup against the smallest thread count {@code b}: {@code b * T(b) / T(t)}, so with
     * b = 1 it is T(1)/T(t) and the ideal line is t.
     */
    static List<Row> rows(List<Integer> counts, List<double[]> times, List<Result> medianRuns) {
        int base = counts.get(0);
        double tBase = median(times.get(0));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            int t = counts.get(i);
            double m = median(times.get(i));
            double sp = i == 0 ? base : base * tBase / m;
            Result r = medianRuns.get(i);
            double it = iterations(r);
            rows.add(new Row(t, times.get(i), m, sp, sp / t, it,
                    perIterationMs(r, "computeSeconds", "workerComputeSeconds", it),
                    perIterationMs(r, "barrierSeconds", "workerBarrierSeconds", it),
                    perIterationMs(r, "aggregateSeconds", null, it)));
        }
        return rows;
    }

    /** The solver's "iterations" figure, or its epochs when it reports none (Hogwild!, ASAGA). */
    static double iterations(Result r) {
        Object v = r.extras().get("iterations");
        if (v instanceof Number n) return n.doubleValue();
        return r.epochs();
    }

    /** Milliseconds per iteration of a seconds figure, or of the per-thread mean of an array figure; NaN when absent. */
    static double perIterationMs(Result r, String key, String perThreadKey, double iterations) {
        if (!(iterations > 0)) return Double.NaN;
        Object v = r.extras().get(key);
        double s = Double.NaN;
        if (v instanceof Number n) s = n.doubleValue();
        else if (perThreadKey != null && r.extras().get(perThreadKey) instanceof double[] a && a.length > 0)
            s = Arrays.stream(a).average().orElse(Double.NaN);
        return s * 1e3 / iterations;
    }

    static final List<String> HEADER = List.of("threads", "median s", "min s", "max s", "speedup", "ideal", "efficiency",
            "iterations", "compute ms/it", "barrier ms/it", "aggregate ms/it");

    static List<List<String>> cells(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        for (Row r : rows)
            out.add(List.of(Integer.toString(r.threads()), f("%.4f", r.median()), f("%.4f", r.min()), f("%.4f", r.max()),
                    f("%.3f", r.speedup()), f("%.0f", (double) r.threads()), f("%.3f", r.efficiency()), f("%.0f", r.iterations()),
                    f("%.4f", r.computeMs()), f("%.4f", r.barrierMs()), f("%.4f", r.aggregateMs())));
        return out;
    }

    static String table(List<Row> rows, int base) {
        String note = base == 1 ? "" : "\nSpeedup is " + base + " x T(" + base + ")/T(t): the runs start at " + base + " threads.\n";
        return Charts.markdown(HEADER, cells(rows)) + note;
    }

    /** A number, or '-' when the solver did not report it. */
    private static String f(String fmt, double v) { return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, fmt, v); }

    private static Map<String, Object> jsonSummary(List<Row> rows, Dataset data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", data.rows());
        m.put("cols", data.cols());
        m.put("source", data.source());
        int i = 0;
        for (Row r : rows) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("threads", r.threads());
            x.put("seconds", r.seconds());
            x.put("medianSeconds", r.median());
            x.put("speedup", r.speedup());
            x.put("efficiency", r.efficiency());
            x.put("iterations", r.iterations());
            x.put("computeMsPerIteration", r.computeMs());
            x.put("barrierMsPerIteration", r.barrierMs());
            x.put("aggregateMsPerIteration", r.aggregateMs());
            m.put("run" + (i++), x);
        }
        return m;
    }

    private static void write(List<Row> rows, String table, Dataset data, Path out, String algorithm) {
        Path md = Path.of(out + ".md"), csv = Path.of(out + ".csv");
        try {
            Path dir = out.toAbsolutePath().getParent();
            if (dir != null) java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the folder of " + out + ": " + e.getMessage(), e);
        }
        dev.warthog.io.AtomicFiles.write(md, w -> {
            w.write("# Speedup of " + algorithm + "\n\n");
            w.write(String.format(Locale.ROOT, "Data: %s (%d rows x %d columns). Times are training seconds (evaluation off); "
                    + "compute, barrier and aggregate are milliseconds per iteration of the median run ('-': not reported "
                    + "by the solver; iterations fall back to epochs).%n%n", data.source(), data.rows(), data.cols()));
            w.write(table);
        });
        dev.warthog.io.AtomicFiles.write(csv, w -> {
            w.write("algorithm,threads,run,seconds,median_seconds,speedup,efficiency,iterations,compute_ms_per_it,barrier_ms_per_it,aggregate_ms_per_it\n");
            for (Row r : rows)
                for (int k = 0; k < r.seconds().length; k++)
                    w.write(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%.6f,%.6f,%.0f,%s,%s,%s%n", algorithm, r.threads(), k,
                            r.seconds()[k], r.median(), r.speedup(), r.efficiency(), r.iterations(),
                            csvNum(r.computeMs()), csvNum(r.barrierMs()), csvNum(r.aggregateMs())));
        });
        double[] x = rows.stream().mapToDouble(Row::threads).toArray();
        double[] sp = rows.stream().mapToDouble(Row::speedup).toArray();
        Charts.write(out, new Charts.Axes("Speedup of " + algorithm + " (seed 000 Figure 2)", "threads", "speedup", false, false),
                List.of(new Charts.Series(algorithm + " (measured)", x, sp), new Charts.Series("linear (ideal)", x, x.clone())));
    }

    private static String csvNum(double v) { return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v); }
}
