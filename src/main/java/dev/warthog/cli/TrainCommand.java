package dev.warthog.cli;

import dev.warthog.Training;
import dev.warthog.Warthog;
import dev.warthog.data.Dataset;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Metrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code warthog train}: fit a model and report the run. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a linear model and report objective, accuracy and time.")
final class TrainCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions dataOptions;
    @Mixin ParallelOptions parallelOptions;

    @Option(names = "--loss", defaultValue = "logistic", description = "logistic, squared, hinge or smooth-hinge (default: ${DEFAULT-VALUE}).")
    String loss;
    @Option(names = "--l2", defaultValue = "0", description = "L2 penalty lambda of (lambda/2)||w||^2 (default: ${DEFAULT-VALUE}).")
    double l2;
    @Option(names = "--l1", defaultValue = "0", description = "L1 penalty of l1 ||w||_1 (default: ${DEFAULT-VALUE}).")
    double l1;
    @Option(names = "--algorithm", defaultValue = "lbfgs", description = "gd, agd, sgd, lbfgs, sag, saga, iag, hogwild, asaga, proxasaga, async-iag, minibatch-sgd, async-sgd, "
            + "local-sgd, adacomm, fedavg, simuparallel, wpsgd or average-directly (default: ${DEFAULT-VALUE}).")
    String algorithm;
    @Option(names = "--threads", description = "Worker threads (parallel algorithms; default 1).")
    Integer threads;
    @Option(names = "--access", description = "Shared-parameter access: plain, opaque, atomic, striped or locked (parallel solvers; default plain).")
    String access;
    @Option(names = "--partition", description = "Rows to workers: contiguous, strided or random (lock-free solvers; default contiguous); "
            + "async-sgd also takes all (every worker samples all rows, its default).")
    String partition;
    @Option(names = "--staleness-every", paramLabel = "K", description = "Measure the delay tau of every K-th update (parallel solvers; default 16).")
    Integer stalenessEvery;
    @Option(names = "--epochs", description = "Epochs (stochastic solvers) or iterations (batch solvers).")
    Integer epochs;
    @Option(names = "--step", description = "Step size (default: from the smoothness constant).")
    Double step;
    @Option(names = "--momentum", description = "Momentum beta (agd; default 0.9).")
    Double momentum;
    @Option(names = "--batch", description = "Mini-batch size (sgd; default 1).")
    Integer batch;
    @Option(names = "--decay", description = "Per-epoch step decay, step *= decay (sgd, hogwild).")
    Double decay;
    @Option(names = "--schedule", description = "SGD step schedule: constant, optimal, inverse-scaling or epoch-decay.")
    String schedule;
    @Option(names = "--tolerance", description = "Relative gradient-norm tolerance (gd, agd, lbfgs).")
    Double tolerance;
    @Option(names = "--line-search", description = "Backtracking line search (gd, agd).")
    boolean lineSearch;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--eval-every", defaultValue = "1", description = "Evaluate the trace every K epochs (default: ${DEFAULT-VALUE}).")
    int evalEvery;
    @Option(names = "--target", description = "Stop once the objective is at most this.")
    Double target;
    @Option(names = "--time-budget", paramLabel = "SECONDS", description = "Stop after this many training seconds.")
    Double timeBudget;
    @Option(names = "--trace", paramLabel = "FILE.csv", description = "Write the trace (epoch,seconds,objective,metrics) as CSV.")
    Path trace;
    @Option(names = "--json", paramLabel = "FILE.json", description = "Write a JSON summary of the run.")
    Path json;
    @Option(names = "--save", paramLabel = "FILE", description = "Save the model.")
    Path save;
    @Option(names = "--quiet", description = "Print nothing on success.")
    boolean quiet;

    @Override public Integer call() {
        dev.warthog.io.AtomicFiles.checkWritable(json, trace, save);   // before any work
        Dataset[] d = dataOptions.load(spec, seed);
        Loss lossFn = Loss.parse(loss);
        Training t = Warthog.train(d[0]).loss(lossFn).l2(l2).l1(l1).algorithm(algorithm)
                .evalEvery(evalEvery).test(d[1]).options(o -> {
                    o.seed(seed).threads(threads).batch(batch).decay(decay).schedule(schedule).tolerance(tolerance)
                     .access(access).partition(partition).stalenessEvery(stalenessEvery);
                    if (lineSearch) o.lineSearch(true);
                    parallelOptions.apply(o);
                });
        if (epochs != null) t.epochs(epochs);
        if (step != null) t.step(step);
        if (momentum != null) t.momentum(momentum);
        if (target != null) t.targetObjective(target);
        if (timeBudget != null) t.timeBudget(timeBudget);
        t.resolveSolver();  // argument errors before any work
        Training.Fit fit;
        try (Progress progress = Progress.start(spec.commandLine().getErr(), epochs)) {
            t.onStart(progress::watch);
            fit = t.run();
        }
        Map<String, Object> summary = summary(fit, d[0], threads == null ? 1 : threads);
        if (json != null) Json.write(json, summary);
        if (trace != null) fit.trace().writeCsv(trace);
        if (save != null) fit.model().save(save);
        if (!quiet) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s: %d epochs in %.3f s (training), objective %.12g, train %s %.4f%s%n",
                    fit.result().algorithm(), fit.result().epochs(), fit.trainSeconds(), fit.objective(),
                    Metrics.primaryName(lossFn), Metrics.primary(lossFn, fit.result().problem().data(), fit.weights()),
                    fit.test() == null ? "" : String.format(Locale.ROOT, ", test %s %.4f", Metrics.primaryName(lossFn),
                            Metrics.primary(lossFn, fit.test(), fit.weights())));
        }
        return 0;
    }

    /** The {@code --json} object: the fields the issue fixes, then extras. */
    static Map<String, Object> summary(Training.Fit fit, Dataset data, int threads) {
        var r = fit.result();
        Loss l = r.problem().loss();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", r.algorithm());
        m.put("threads", r.threads() > 0 ? r.threads() : threads);
        m.put("epochs", r.epochs());
        m.put("trainSeconds", r.trainSeconds());
        m.put("objective", fit.objective());
        if (l.isClassification()) {
            m.put("trainAccuracy", fit.trainAccuracy());
            if (fit.test() != null) m.put("testAccuracy", fit.testAccuracy());
        } else {
            m.put("trainRmse", Metrics.rmse(r.problem().data(), fit.weights()));
            if (fit.test() != null) m.put("testRmse", Metrics.rmse(fit.test(), fit.weights()));
        }
        m.put("samplesPerSecond", r.trainSeconds() > 0 ? r.samples() / r.trainSeconds() : 0.0);
        m.put("dataBytes", data.bytes());
        m.put("weightsHash", WeightsHash.of(fit.weights()));
        m.put("loss", l.cliName());
        m.put("l2", r.problem().l2());
        m.put("l1", r.problem().l1());
        m.put("rows", data.rows());
        m.put("cols", data.cols());
        m.put("nnz", data.nnz());
        m.put("samples", r.samples());
        m.put("kernels", dev.warthog.kernel.Kernels.get().name());
        m.putAll(r.extras());
        return m;
    }
}
