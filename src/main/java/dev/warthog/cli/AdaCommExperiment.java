package dev.warthog.cli;

import dev.warthog.averaging.AdaComm;
import dev.warthog.averaging.LocalSgd;
import dev.warthog.data.Dataset;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.solver.Solver;
import dev.warthog.trace.Trace;
import dev.warthog.trace.TracePoint;
import dev.warthog.trace.Tracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code experiment adacomm}: seed 003 Figure 1 on one machine. With an injected
 * communication delay D per averaging round comparable to a few local steps, the training
 * loss against wall-clock time of PASGD for tau in {1, 4, 16, 64} and of AdaComm (tau_0 = the
 * largest tau, intervals of a tenth of the budget in seconds). D is k times the measured time
 * of one local step (a short tau = 64 run measures it) unless {@code --comm-delay} is given.
 * Target: the loss tau = 1 reaches at the end (times a slack); each method's time to reach it
 * is reported. Expected: large tau drops fast and floors higher, AdaComm reaches tau = 1's
 * loss clearly sooner.
 */
@Command(name = "adacomm", mixinStandardHelpOptions = true,
        description = "Seed 003 Fig. 1: loss vs wall-clock of PASGD (tau 1, 4, 16, 64) and AdaComm under a communication delay.")
final class AdaCommExperiment implements Runnable {
    @Spec CommandSpec spec;
    @Mixin DataOptions dataOptions;

    @Option(names = "--threads", defaultValue = "2", description = "Threads (default 2).") int threads;
    @Option(names = "--workers", description = "Logical workers M (default: threads).") Integer workers;
    @Option(names = "--batch", defaultValue = "32", description = "Local mini-batch per worker (default 32).") int batch;
    @Option(names = "--step", description = "Constant local step (default 1/L_max).") Double step;
    @Option(names = "--l2", defaultValue = "1e-4", description = "L2 penalty (default 1e-4).") double l2;
    @Option(names = "--seconds", defaultValue = "6", description = "Training seconds per method (default 6).") double seconds;
    @Option(names = "--comm-delay", paramLabel = "MS", description = "D per averaging round, ms (default: --delay-steps x one local step).") Double commDelay;
    @Option(names = "--delay-steps", defaultValue = "4", description = "D in local steps when --comm-delay is not given (default 4).") double delaySteps;
    @Option(names = "--taus", split = ",", defaultValue = "1,4,16,64", description = "Fixed periods (default 1,4,16,64).") int[] taus;
    @Option(names = "--target-slack", defaultValue = "1e-3", description = "Target = final loss of tau = 1 times (1 + slack) (default 1e-3).") double slack;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--out", paramLabel = "PREFIX", defaultValue = "adacomm", description = "Writes PREFIX.md, PREFIX.csv, PREFIX.png, PREFIX.svg.") Path out;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write per method the final loss and the time to the target.") Path json;

    @Override
    public void run() {
        if (dataOptions.data == null && dataOptions.gen == null) {
            dataOptions.gen = "dense-logistic";
            if (dataOptions.rows == null) dataOptions.rows = 20_000;
            if (dataOptions.cols == null) dataOptions.cols = 100;
        }
        Outputs.check(out, json, "md", "csv", "png", "svg");
        Dataset train = dataOptions.load(spec, seed)[0];
        Problem p = Problem.of(train, Loss.LOGISTIC, l2, 0);
        int m = workers != null ? workers : threads;
        double eta = step != null ? step : 1.0 / p.sampleSmoothness();

        // D = k local steps, measured on a tau = 64 run without delay
        double d = commDelay != null ? commDelay : 0;
        if (commDelay == null) {
            Result probe = pasgd(64, 0, eta, m).build().solve(p, quiet(p, Math.min(1.0, seconds / 4)));
            double perStep = (double) probe.extras().get("computeSeconds") / ((long) probe.extras().get("localSteps") / (double) m);
            d = delaySteps * perStep * 1e3;
            System.out.printf(Locale.ROOT, "one local step: %.2f us; D = %.3g ms (%.3g steps)%n", perStep * 1e6, d, delaySteps);
        }
        LinkedHashMap<String, Trace> traces = new LinkedHashMap<>();
        LinkedHashMap<String, Result> results = new LinkedHashMap<>();
        for (int tau : taus) {
            String name = "tau=" + tau;
            Result r = pasgd(tau, d, eta, m).build().solve(p, quiet(p, seconds));
            traces.put(name, r.trace());
            results.put(name, r);
            System.out.printf(Locale.ROOT, "%-8s final loss %.6f after %d rounds%n", name, r.trace().last().objective(), (int) r.extras().get("iterations"));
        }
        int tau0 = 1;
        for (int t : taus) tau0 = Math.max(tau0, t);
        Solver ada = AdaComm.builder().threads(threads).workers(m).batch(batch).seed(seed).step(eta).commDelayMs(d)
                .tau0(tau0).interval((seconds / 10) + "s").epochs(1_000_000).build();
        Result ar = ada.solve(p, quiet(p, seconds));
        traces.put("AdaComm", ar.trace());
        results.put("AdaComm", ar);
        System.out.printf(Locale.ROOT, "AdaComm  final loss %.6f, periods %s%n", ar.trace().last().objective(),
                java.util.Arrays.toString((int[]) ar.extras().get("tauSequence")));

        Trace sync = traces.get("tau=1");
        double target = (sync != null ? sync.last().objective() : ar.trace().last().objective()) * (1 + slack);
        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> js = new LinkedHashMap<>();
        for (var e : traces.entrySet()) {
            double tt = timeTo(e.getValue(), target);
            double fin = e.getValue().last().objective();
            rows.add(List.of(e.getKey(), fmt(fin), Double.isNaN(tt) ? "-" : fmt(tt),
                    String.valueOf(results.get(e.getKey()).extras().get("iterations"))));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("finalLoss", fin);
            o.put("timeToTarget", Double.isNaN(tt) ? null : tt);
            js.put(e.getKey(), o);
        }
        String table = String.format(Locale.ROOT, "D = %.3g ms per averaging round, M = %d, b = %d, eta = %.3g, target loss %.6f%n%n",
                d, m, batch, eta, target) + Charts.markdown(List.of("method", "final loss", "seconds to target", "rounds"), rows);
        System.out.println(table);
        Outputs.text(Path.of(out + ".md"), table);
        StringBuilder csv = new StringBuilder("method,seconds,loss\n");
        List<Charts.Series> series = new ArrayList<>();
        for (var e : traces.entrySet()) {
            List<TracePoint> pts = e.getValue().points();
            double[] x = new double[pts.size()], y = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                x[i] = pts.get(i).seconds();
                y[i] = pts.get(i).objective();
                csv.append(e.getKey()).append(',').append(x[i]).append(',').append(y[i]).append('\n');
            }
            series.add(new Charts.Series(e.getKey(), x, y));
        }
        Outputs.text(Path.of(out + ".csv"), csv.toString());
        Charts.write(out, new Charts.Axes("PASGD vs AdaComm, D = " + fmt(d) + " ms", "wall-clock seconds", "training loss", false, true), series);
        if (json != null) {
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("experiment", "adacomm");
            top.put("commDelayMs", d);
            top.put("target", target);
            top.put("methods", js);
            Json.write(json, top);
        }
    }

    private LocalSgd.Builder pasgd(int tau, double d, double eta, int m) {
        return LocalSgd.builder().threads(threads).workers(m).tau(tau).batch(batch).seed(seed).step(eta)
                .schedule(Sgd.Schedule.CONSTANT).commDelayMs(d).epochs(1_000_000);
    }

    private static Tracker quiet(Problem p, double seconds) { return Tracker.builder(p).timeBudget(seconds).build(); }

    /** Seconds of the first trace point at or below {@code target}; NaN if none. */
    static double timeTo(Trace t, double target) {
        for (TracePoint q : t.points()) if (q.objective() <= target) return q.seconds();
        return Double.NaN;
    }

    static String fmt(double x) { return String.format(Locale.ROOT, "%.4g", x); }
}
