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
 * {@code bench throughput} compares the samples per second of several settings run in
 * alternation with a reference setting, so that a shared machine's slow spells fall on both.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of the library (see the subcommands).",
        subcommands = {BenchCommand.Speedup.class, BenchCommand.Throughput.class, CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: speedup or throughput (see --help)");
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
                    "The --repeat runs are made in rounds of every thread count in turn, so that a slow spell of a shared "
                    + "machine slows all counts alike.",
                    "Evaluation is off during the runs (only training seconds are timed)."})
    static final class Speedup implements java.util.concurrent.Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin DataOptions dataOptions;
        @Mixin ParallelOptions parallelOptions;

        @Option(names = "--algorithm", required = true, description = "Any solver name of 'train --algorithm' (hogwild, gd, minibatch-sgd, ...).")
        String algorithm;
        @Mixin ObjectiveOptions objective;
        @Option(names = "--epochs", description = "Epochs or iterations of every run.")
        Integer epochs;
        @Option(names = "--step", description = "Step size.")
        Double step;
        @Option(names = "--batch", description = "Mini-batch size.")
        Integer batch;
        @Option(names = "--tolerance", description = "Relative gradient-norm tolerance of gd, agd and lbfgs; 0 runs every "
                + "iteration (a small problem converges in a fraction of a second, too short to time).")
        Double tolerance;
        @Option(names = "--max-threads", paramLabel = "N", description = "Largest thread count when --threads is not given (default: the cores).")
        Integer maxThreads;
        @Option(names = "--threads", paramLabel = "LIST", split = ",", description = "Thread counts, e.g. 1,2,4 (default 1..N).")
        List<Integer> threads;
        @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "Timed runs per thread count; the median is reported (default: ${DEFAULT-VALUE}).")
        int repeat;
        @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "One untimed run at each thread count, all before the first timed round (default: on; --no-warmup turns it off).")
        boolean warmup;
        @Option(names = "--out", paramLabel = "PREFIX", description = "Write PREFIX.md (table), PREFIX.csv (every run) and PREFIX.png/.svg (plot).")
        Path out;
        @Option(names = "--json", paramLabel = "FILE.json", description = "Write the table as JSON.")
        Path json;

        @Override public Integer call() {
            List<Integer> counts = threadCounts();
            if (repeat < 1) throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
            Outputs.check(out, json, "md", "csv", "png", "svg");
            Dataset[] d = dataOptions.load(spec, objective.seed);
            Loss lossFn = Loss.parse(objective.loss);
            for (int t : counts) checked(d[0], lossFn, t);   // argument errors before any work
            PrintWriter err = spec.commandLine().getErr();
            if (parallelOptions.workers == null && LOGICAL_WORKERS.contains(algorithm.trim()))
                err.println("bench speedup: note: without --workers, " + algorithm + " runs M = threads logical workers, so every "
                        + "thread count computes something different; give --workers M to time the same work at every count");
            List<double[]> times = new ArrayList<>();
            List<Result> medianRuns = new ArrayList<>();
            if (warmup) for (int t : counts) run(d[0], lossFn, t);
            // rounds of every thread count in turn: a slow spell of the shared machine hits all
            // counts alike instead of the runs of one count
            double[][] s = new double[counts.size()][repeat];
            Result[][] rs = new Result[counts.size()][repeat];
            for (int k = 0; k < repeat; k++)
                for (int c = 0; c < counts.size(); c++) {
                    rs[c][k] = run(d[0], lossFn, counts.get(c));
                    s[c][k] = rs[c][k].trainSeconds();
                }
            for (int c = 0; c < counts.size(); c++) {
                int t = counts.get(c);
                times.add(s[c]);
                medianRuns.add(rs[c][medianIndex(s[c])]);
                err.printf(Locale.ROOT, "bench speedup: %s at %d thread%s: median %.4f s%n", algorithm, t, t == 1 ? "" : "s", median(s[c]));
            }
            List<Row> rows = rows(counts, times, medianRuns);
            String table = table(rows, counts.get(0));
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%s on %d x %d (%s), %d timed run%s per thread count (the counts in turn)%s%n%n", algorithm,
                    d[0].rows(), d[0].cols(), d[0].source(), repeat, repeat == 1 ? "" : "s", warmup ? " after one warm-up each" : "");
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
            Training tr = Warthog.train(data).loss(lossFn).l2(objective.l2).l1(objective.l1).algorithm(algorithm)
                    .evalEvery(Integer.MAX_VALUE)   // evaluation off: only training is timed
                    .options(o -> {
                        o.seed(objective.seed).threads(t).batch(batch).tolerance(tolerance);
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

    /**
     * {@code warthog bench throughput}: training throughput of several settings, each run
     * between two runs of the first setting (the reference) and divided by their mean. The
     * ratios of adjacent runs are what a shared, noisy machine cannot blur: a slow spell of a
     * minute slows the reference and the setting alike, where one setting's runs measured
     * after another's would each get a different spell (as JMH does).
     */
    @Command(name = "throughput", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run several settings in alternation on one dataset and compare their training throughput "
                    + "(samples per second). Every setting after the first runs between two runs of the first, the reference, "
                    + "and its rate is divided by their mean; the median and quartiles of those ratios are reported.",
                    "Evaluation is off during the runs (only training seconds are timed).",
                    "Example: bench throughput --gen analog --loss hinge --l2 1e-4 --run 'hogwild --threads 2 --step 1e-3' "
                    + "--run 'local-sgd --threads 2 --tau 32 --batch 16 --step 1e-3 --schedule constant' --pairs 20"})
    static final class Throughput implements java.util.concurrent.Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin DataOptions dataOptions;

        @Option(names = "--run", required = true, paramLabel = "'NAME [OPTIONS]'",
                description = "A setting: an algorithm and its train options in one quoted argument (--threads, --step, --batch, "
                        + "--epochs, --decay, --schedule, --access, --partition, --momentum, --tolerance and the parallel options: --workers, "
                        + "--tau, ...). Repeat it; the first is the reference.")
        List<String> runs;
        @Mixin ObjectiveOptions objective;
        @Option(names = "--pairs", paramLabel = "P", defaultValue = "10", description = "Timed runs of every setting after the first, each between two reference runs (default: ${DEFAULT-VALUE}).")
        int pairs;
        @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "One untimed run of every setting first (default: on; --no-warmup turns it off).")
        boolean warmup;
        @Option(names = "--out", paramLabel = "PREFIX", description = "Write PREFIX.md (table) and PREFIX.csv (every run, in order).")
        Path out;
        @Option(names = "--json", paramLabel = "FILE.json", description = "Write the table as JSON.")
        Path json;

        /** One timed run, in the order run. */
        record Run(int order, int setting, double seconds, long samples) {
            double rate() { return samples / seconds; }
        }

        @Override public Integer call() {
            if (pairs < 1) throw new IllegalArgumentException("--pairs must be >= 1, got " + pairs);
            if (runs.size() < 2) throw new IllegalArgumentException("--run: give at least two settings (the first is the reference), got " + runs.size());
            List<Setting> settings = new ArrayList<>();
            for (String r : runs) settings.add(Setting.parse(r));   // option errors before the data is loaded
            Loss lossFn = Loss.parse(objective.loss);
            Outputs.check(out, json, "md", "csv");
            Dataset[] d = dataOptions.load(spec, objective.seed);
            for (Setting st : settings) {
                try {
                    st.training(d[0], lossFn, objective).resolveSolver();   // the solvers' argument errors before any run
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--run '" + st.text + "': " + e.getMessage(), e);
                }
            }
            PrintWriter err = spec.commandLine().getErr();
            if (warmup) for (Setting st : settings) run(st, d[0], lossFn);
            // ref, s1, ref, s2, ..., ref, s1, ref, ... and a last ref: every other run sits between two reference runs
            List<Run> order = new ArrayList<>();
            for (int p = 0; p < pairs; p++)
                for (int k = 1; k < settings.size(); k++) {
                    order.add(timed(order.size(), 0, settings, d[0], lossFn));
                    order.add(timed(order.size(), k, settings, d[0], lossFn));
                    err.printf(Locale.ROOT, "bench throughput: pair %d of %d, %s: %.3f M samples/s%n", p + 1, pairs,
                            settings.get(k).text, order.get(order.size() - 1).rate() * 1e-6);
                }
            order.add(timed(order.size(), 0, settings, d[0], lossFn));
            double[] ratio = ratios(order);
            List<List<String>> rows = new ArrayList<>();
            List<Map<String, Object>> jsonRows = new ArrayList<>();
            for (int k = 0; k < settings.size(); k++) {
                final int kk = k;
                double[] rates = order.stream().filter(r -> r.setting() == kk).mapToDouble(Run::rate).toArray();
                double[] rs = java.util.stream.IntStream.range(0, order.size()).filter(i -> order.get(i).setting() == kk)
                        .mapToDouble(i -> ratio[i]).toArray();
                double[] q = k == 0 ? new double[] {1, 1, 1} : quartiles(rs);
                rows.add(List.of(settings.get(k).text + (k == 0 ? " (reference)" : ""), Integer.toString(rates.length),
                        String.format(Locale.ROOT, "%.3f", median(rates) * 1e-6),
                        String.format(Locale.ROOT, "%.3f", Arrays.stream(rates).min().orElse(Double.NaN) * 1e-6),
                        String.format(Locale.ROOT, "%.3f", Arrays.stream(rates).max().orElse(Double.NaN) * 1e-6),
                        k == 0 ? "1" : String.format(Locale.ROOT, "%.3f", q[1]),
                        k == 0 ? "-" : String.format(Locale.ROOT, "%.3f-%.3f", q[0], q[2])));
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("setting", settings.get(k).text);
                j.put("reference", k == 0);
                j.put("samplesPerSecond", rates);
                j.put("medianSamplesPerSecond", median(rates));
                if (k > 0) {
                    j.put("ratios", rs);
                    j.put("medianRatio", q[1]);
                    j.put("ratioQuartiles", new double[] {q[0], q[2]});
                }
                jsonRows.add(j);
            }
            String table = Charts.markdown(THROUGHPUT_HEADER, rows);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "Throughput on %d x %d (%s), %d pair%s per setting%s; ratio = rate / mean of the reference runs "
                            + "just before and after%n%n", d[0].rows(), d[0].cols(), d[0].source(), pairs, pairs == 1 ? "" : "s",
                    warmup ? ", after one warm-up run of each" : "");
            o.print(table);
            o.flush();
            if (out != null) writeThroughput(out, d[0], table, order, ratio, settings);
            if (json != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rows", d[0].rows());
                m.put("cols", d[0].cols());
                m.put("source", d[0].source());
                m.put("pairs", pairs);
                for (int k = 0; k < jsonRows.size(); k++) m.put("setting" + k, jsonRows.get(k));
                Json.write(json, m);
            }
            return 0;
        }

        private Result run(Setting st, Dataset data, Loss lossFn) {
            Result r = st.training(data, lossFn, objective).run().result();
            if (!(r.trainSeconds() > 0) || r.samples() <= 0)
                throw new IllegalArgumentException("bench throughput: " + st.text + " reported no samples or no training time");
            return r;
        }

        private Run timed(int order, int k, List<Setting> settings, Dataset data, Loss lossFn) {
            Result r = run(settings.get(k), data, lossFn);
            return new Run(order, k, r.trainSeconds(), r.samples());
        }

        /** Each run's rate over the mean of the reference runs next to it (1 for the reference's own runs). */
        static double[] ratios(List<Run> order) {
            double[] out = new double[order.size()];
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).setting() == 0) { out[i] = 1; continue; }
                double s = 0;
                int n = 0;
                for (int j : new int[] {i - 1, i + 1})
                    if (j >= 0 && j < order.size() && order.get(j).setting() == 0) { s += order.get(j).rate(); n++; }
                out[i] = order.get(i).rate() / (s / n);
            }
            return out;
        }

        private static void writeThroughput(Path out, Dataset data, String table, List<Run> order, double[] ratio, List<Setting> settings) {
            Path md = Path.of(out + ".md"), csv = Path.of(out + ".csv");
            dev.warthog.io.AtomicFiles.write(md, w -> {
                w.write("# Throughput in alternation\n\n");
                w.write(String.format(Locale.ROOT, "Data: %s (%d rows x %d columns). Rates are samples per training second "
                        + "(evaluation off); ratio is a run's rate over the mean of the reference runs just before and after it.%n%n",
                        data.source(), data.rows(), data.cols()));
                w.write(table);
            });
            dev.warthog.io.AtomicFiles.write(csv, w -> {
                w.write("order,setting,seconds,samples,samples_per_s,ratio_to_reference\n");
                for (int i = 0; i < order.size(); i++) {
                    Run r = order.get(i);
                    w.write(String.format(Locale.ROOT, "%d,\"%s\",%.6f,%d,%.1f,%.6f%n", r.order(),
                            settings.get(r.setting()).text.replace("\"", "\"\""), r.seconds(), r.samples(), r.rate(), ratio[i]));
                }
            });
        }
    }

    /** The objective and the seed, shared by the bench commands. */
    static final class ObjectiveOptions {
        @Option(names = "--loss", defaultValue = "logistic", description = "logistic, squared, hinge or smooth-hinge (default: ${DEFAULT-VALUE}).")
        String loss;
        @Option(names = "--l2", defaultValue = "0", description = "L2 penalty (default: ${DEFAULT-VALUE}).")
        double l2;
        @Option(names = "--l1", defaultValue = "0", description = "L1 penalty (default: ${DEFAULT-VALUE}).")
        double l1;
        @Option(names = "--seed", defaultValue = "1", description = "Seed of the data generator and the solvers (default: ${DEFAULT-VALUE}).")
        long seed;
    }

    static final List<String> THROUGHPUT_HEADER = List.of("setting", "runs", "median M samples/s", "min", "max",
            "median ratio to reference", "ratio quartiles");

    /** The 25%, 50% and 75% points (linear between order statistics). */
    static double[] quartiles(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return new double[] {quantile(c, 0.25), quantile(c, 0.5), quantile(c, 0.75)};
    }

    private static double quantile(double[] sorted, double p) {
        double x = p * (sorted.length - 1);
        int i = (int) Math.floor(x);
        if (i + 1 >= sorted.length) return sorted[sorted.length - 1];
        return sorted[i] + (x - i) * (sorted[i + 1] - sorted[i]);
    }

    /**
     * One {@code --run} of {@code bench throughput}: an algorithm and the train options it
     * takes, parsed from one argument by picocli, so an unknown option is an error naming it.
     */
    @Command(name = "--run")
    static final class Setting {
        @CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "The algorithm.")
        String algorithm;
        @Mixin ParallelOptions parallelOptions;
        @Option(names = "--threads") Integer threads;
        @Option(names = "--step") Double step;
        @Option(names = "--batch") Integer batch;
        @Option(names = "--epochs") Integer epochs;
        @Option(names = "--decay") Double decay;
        @Option(names = "--schedule") String schedule;
        @Option(names = "--access") String access;
        @Option(names = "--partition") String partition;
        @Option(names = "--momentum") Double momentum;
        @Option(names = "--tolerance") Double tolerance;
        String text;

        static Setting parse(String text) {
            Setting s = new Setting();
            String t = text.trim();
            if (t.isEmpty()) throw new IllegalArgumentException("--run: expected 'NAME [OPTIONS]', got an empty setting");
            try {
                new CommandLine(s).parseArgs(t.split("\\s+"));
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException("--run '" + t + "': " + e.getMessage(), e);
            }
            s.text = t;
            return s;
        }

        Training training(Dataset data, Loss lossFn, ObjectiveOptions obj) {
            Training tr = Warthog.train(data).loss(lossFn).l2(obj.l2).l1(obj.l1).algorithm(algorithm)
                    .evalEvery(Integer.MAX_VALUE)   // evaluation off: only training is timed
                    .options(o -> {
                        o.seed(obj.seed).threads(threads).batch(batch).decay(decay).schedule(schedule).access(access).partition(partition)
                                .tolerance(tolerance);
                        parallelOptions.apply(o);
                    });
            if (epochs != null) tr.epochs(epochs);
            if (step != null) tr.step(step);
            if (momentum != null) tr.momentum(momentum);
            return tr;
        }
    }

    static double median(double[] s) {
        double[] c = s.clone();
        Arrays.sort(c);
        return quantile(c, 0.5);
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
