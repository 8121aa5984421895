package dev.warthog.cli;

import dev.warthog.averaging.LocalSgd;
import dev.warthog.data.Dataset;
import dev.warthog.engine.Stragglers;
import dev.warthog.gen.Generators;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.trace.Tracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code experiment runtime}: seed 003 Theorem 1, eq. (2):
 * <pre>
 *   E[T_sync] / E[T_PAvg] = E[Y_{m:m} + D] / E[Ybar_{m:m} + D/tau]
 * </pre>
 * T the wall-clock time per local step (iteration), Y_{i,k} worker i's compute time of its
 * k-th mini-batch (i.i.d.), Ybar_i = (Y_{i,1} + ... + Y_{i,tau}) / tau, X_{m:m} the largest
 * of m i.i.d. copies, D the communication delay of one averaging. For exponential Y of mean
 * mu: E[Y_{m:m}] = mu H_m (H_m the m-th harmonic number), and Ybar is Gamma(tau, mu/tau), so
 * E[Ybar_{m:m}] = integral_0^inf (1 - G(x)^m) dx with
 * G(x) = 1 - exp(-x tau/mu) sum_{k<tau} (x tau/mu)^k / k!, integrated numerically.
 *
 * <p>Emulation: m workers on m threads run PASGD on a tiny problem (compute time ~0) with
 * an exponential delay of mean mu after every local step ({@code --delay exp:mu}, parked
 * waits) and D injected per averaging; the measured time per local step is the training
 * time over the local steps per worker.
 */
@Command(name = "runtime", mixinStandardHelpOptions = true,
        description = "Seed 003 Theorem 1: measured E[T_sync]/E[T_PAvg] vs the formula, exponential compute times.")
final class RuntimeExperiment implements Runnable {
    @Option(names = "--workers", defaultValue = "4", description = "m workers, one thread each (default 4; the waits are parked, so m may exceed the cores).") int m;
    @Option(names = "--mean-ms", defaultValue = "2", description = "Mean mu of the exponential compute time per local step, ms (default 2).") double mu;
    @Option(names = "--comm-delay", paramLabel = "MS", defaultValue = "2", description = "D per averaging, ms (default 2).") double d;
    @Option(names = "--taus", split = ",", defaultValue = "1,2,4,8,16", description = "Periods (default 1,2,4,8,16).") int[] taus;
    @Option(names = "--steps", defaultValue = "320", description = "Local steps per worker and period setting (default 320).") int steps;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--out", paramLabel = "PREFIX", defaultValue = "runtime") Path out;
    @Option(names = "--json", paramLabel = "FILE") Path json;

    @Override
    public void run() {
        if (m < 1 || mu <= 0 || d < 0 || steps < 1) throw new IllegalArgumentException("need --workers >= 1, --mean-ms > 0, --comm-delay >= 0, --steps >= 1");
        Outputs.check(out, json, "md", "csv", "png", "svg");
        Dataset data = Generators.Kind.DENSE_LOGISTIC.generate(8 * m, 4, seed);
        Problem p = Problem.of(data, Loss.LOGISTIC, 1e-3, 0);
        long perEpoch = 8;   // n / (m b) with b = 1
        int epochs = (int) Math.max(1, steps / perEpoch);
        double formulaSync = mu * harmonic(m) + d;
        double measuredSync = Double.NaN;
        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> js = new LinkedHashMap<>();
        StringBuilder csv = new StringBuilder("tau,measured_ms_per_step,formula_ms_per_step,measured_ratio,formula_ratio,rel_diff\n");
        double[] xs = new double[taus.length], meas = new double[taus.length], form = new double[taus.length];
        for (int i = 0; i < taus.length; i++) {
            int tau = taus[i];
            Result r = LocalSgd.builder().threads(m).workers(m).tau(tau).batch(1).seed(seed).step(0.01)
                    .schedule(Sgd.Schedule.CONSTANT).stragglers(Stragglers.parse(null, "exp:" + mu, null)).commDelayMs(d)
                    .epochs(epochs).build().solve(p, Tracker.builder(p).evalEvery(1 << 30).build());
            double perStep = r.trainSeconds() * 1e3 / ((long) r.extras().get("localSteps") / (double) m);
            double f = expectedMaxMeanOfExp(m, tau, mu) + d / tau;
            if (tau == 1) measuredSync = perStep;
            xs[i] = tau; meas[i] = perStep; form[i] = f;
        }
        if (Double.isNaN(measuredSync)) measuredSync = formulaSync;   // no tau = 1 run: use the formula's T_sync
        for (int i = 0; i < taus.length; i++) {
            double mr = measuredSync / meas[i], fr = formulaSync / form[i], rel = (mr - fr) / fr;
            rows.add(List.of(String.valueOf(taus[i]), fmt(meas[i]), fmt(form[i]), fmt(mr), fmt(fr), String.format(Locale.ROOT, "%+.1f%%", 100 * rel)));
            csv.append(taus[i]).append(',').append(meas[i]).append(',').append(form[i]).append(',').append(mr).append(',').append(fr).append(',').append(rel).append('\n');
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("measuredMsPerStep", meas[i]);
            o.put("formulaMsPerStep", form[i]);
            o.put("measuredRatio", mr);
            o.put("formulaRatio", fr);
            o.put("relDiff", rel);
            js.put("tau=" + taus[i], o);
            meas[i] = mr; form[i] = fr;
        }
        String table = String.format(Locale.ROOT, "m = %d, exponential Y with mean %.3g ms, D = %.3g ms; E[T_sync] formula %.4g ms%n%n", m, mu, d, formulaSync)
                + Charts.markdown(List.of("tau", "ms/step measured", "ms/step formula", "T_sync/T_PAvg measured", "formula", "rel. diff"), rows);
        System.out.println(table);
        Outputs.text(Path.of(out + ".md"), table);
        Outputs.text(Path.of(out + ".csv"), csv.toString());
        Charts.write(out, new Charts.Axes("Theorem 1: E[T_sync]/E[T_PAvg], m = " + m, "tau", "speed-up per local step", true, false),
                List.of(new Charts.Series("measured", xs, meas), new Charts.Series("eq. (2) (theory)", xs, form)));
        if (json != null) {
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("experiment", "runtime");
            top.put("workers", m);
            top.put("meanMs", mu);
            top.put("commDelayMs", d);
            top.put("methods", js);
            Json.write(json, top);
        }
    }

    /** H_m = 1 + 1/2 + ... + 1/m. */
    static double harmonic(int m) {
        double h = 0;
        for (int k = m; k >= 1; k--) h += 1.0 / k;
        return h;
    }

    /**
     * E[max of m i.i.d. means of tau exponentials of mean mu] = integral of 1 - G(x)^m, G the
     * Gamma(tau, mu/tau) CDF; Simpson's rule on [0, X] with X far in the tail.
     */
    static double expectedMaxMeanOfExp(int m, int tau, double mu) {
        double theta = mu / tau;
        double hi = mu * (1 + 30.0 / Math.sqrt(tau)) + theta * 40 * Math.log(m + 1.0);
        int n = 20_000;
        double h = hi / n, s = 0;
        for (int i = 0; i <= n; i++) {
            double x = i * h;
            double y = 1 - Math.pow(gammaCdf(x / theta, tau), m);
            s += (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2)) * y;
        }
        return s * h / 3;
    }

    /** P(Gamma(k, 1) <= z) for integer k: 1 - e^-z sum_{j<k} z^j / j!. */
    static double gammaCdf(double z, int k) {
        double term = 1, sum = 1;
        for (int j = 1; j < k; j++) { term *= z / j; sum += term; }
        return Math.max(0, 1 - Math.exp(-z) * sum);
    }

    static String fmt(double x) { return String.format(Locale.ROOT, "%.4g", x); }
}
