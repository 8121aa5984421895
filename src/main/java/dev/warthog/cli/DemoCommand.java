package dev.warthog.cli;

import dev.warthog.Training;
import dev.warthog.Warthog;
import dev.warthog.data.Dataset;
import dev.warthog.gen.Generators;
import dev.warthog.objective.Loss;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code warthog demo}: the main job. Generates the WP-SGD analog workload (seed 001,
 * section 5.2) with a held-out test set, runs every available solver on the logistic
 * objective (Hogwild! and ASAGA at 1 thread and at every core) and prints one comparison table. L-BFGS runs first: its optimum F* gives the
 * relative suboptimality column.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate the analog workload, run the available solvers, print a comparison table.")
final class DemoCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--rows", defaultValue = "200000", description = "Training rows (default: ${DEFAULT-VALUE}).")
    int rows;
    @Option(names = "--test-rows", defaultValue = "40000", description = "Test rows (default: ${DEFAULT-VALUE}).")
    int testRows;
    @Option(names = "--cols", defaultValue = "100000", description = "Features (default: ${DEFAULT-VALUE}).")
    int cols;
    @Option(names = "--l2", defaultValue = "1e-5", description = "L2 penalty (default: ${DEFAULT-VALUE}).")
    double l2;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** One line of the table. */
    record Row(String algorithm, int threads, int epochs, double seconds, double objective, double trainAcc, double testAcc) {}

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Dataset all = Generators.analog(rows + testRows, cols, seed);
        Dataset train = all.copyRows(0, rows), test = all.copyRows(rows, rows + testRows);
        out.printf(Locale.ROOT, "Warthog demo: analog data (seed 001 sec. 5.2), %d train + %d test rows, %d features, %d non-zeros, "
                        + "generated in %.2f s; logistic loss, l2 = %g; kernels: %s%n%n",
                rows, testRows, cols, train.nnz(), (System.nanoTime() - t0) * 1e-9, l2, dev.warthog.kernel.Kernels.get().name());
        List<Row> table = new ArrayList<>();
        table.add(run(train, test, "lbfgs", t -> t.epochs(500)));
        int cores = Runtime.getRuntime().availableProcessors();
        table.add(run(train, test, "gd", t -> t.epochs(100)));
        table.add(run(train, test, "agd", t -> t.epochs(100)));
        // synchronous parallel AGD (seed 000 sec. 2.3): the same bits as the 1-thread run above
        if (cores > 1) table.add(run(train, test, "agd", t -> t.epochs(100).threads(cores)));
        table.add(run(train, test, "saga", t -> t.epochs(10).seed(seed)));
        // the stochastic solvers share one schedule: eta_e = 0.5 * 0.8^(e-1)
        table.add(run(train, test, "sgd", t -> t.epochs(10).step(0.5).decay(0.8).seed(seed)));
        table.add(run(train, test, "hogwild", t -> t.epochs(10).step(0.5).decay(0.8).seed(seed).threads(1)));
        if (cores > 1) table.add(run(train, test, "hogwild", t -> t.epochs(10).step(0.5).decay(0.8).seed(seed).threads(cores)));
        table.add(run(train, test, "asaga", t -> t.epochs(10).seed(seed).threads(1)));
        if (cores > 1) table.add(run(train, test, "asaga", t -> t.epochs(10).seed(seed).threads(cores)));
        // the synchronous and parameter-server SGD of seed 004 and the averaging families of seeds
        // 000, 001 and 003, each on every core. Mini-batch and async SGD take batches of 64 per
        // worker (every iteration is an O(d) dense update). A batch gradient is an average of
        // nearly orthogonal sparse rows, so its smoothness is far below L_max = 1/4 and steps well
        // above 1/L_max = 4 are stable: 64 for the synchronous batches, 32 for the asynchronous
        // ones, whose gradients are stale (both chosen on this data by a sweep over 4..128).
        int w = Math.max(2, cores);
        table.add(run(train, test, "minibatch-sgd", t -> t.epochs(5).step(64.0).decay(0.7).seed(seed).threads(cores)
                .options(o -> o.workers(w).batch(64 * w))));
        table.add(run(train, test, "async-sgd", t -> t.epochs(5).step(32.0).decay(0.7).seed(seed).threads(cores)
                .options(o -> o.batch(64))));
        table.add(run(train, test, "local-sgd", t -> t.epochs(10).step(0.5).decay(0.8).seed(seed).threads(cores)
                .options(o -> o.workers(w).tau(16))));
        table.add(run(train, test, "adacomm", t -> t.epochs(10).step(0.5).seed(seed).threads(cores)
                .options(o -> o.workers(w).tau0(64).interval("20000"))));
        // FedAvg's local SGD steps average 8 rows, so their step is 8 times local-sgd's per-row one;
        // the decay is the server step's (alpha_e = 0.9^e)
        table.add(run(train, test, "fedavg", t -> t.epochs(10).step(4.0).decay(0.9).seed(seed).threads(cores)
                .options(o -> o.workers(w).batch(8).localSteps(64).serverStep(1.0))));
        table.add(run(train, test, "simuparallel", t -> t.epochs(10).step(0.5).seed(seed).threads(cores).options(o -> o.workers(w))));
        // unequal workloads (seed 001 sec. 5.2): worker 0 holds 80% of the data
        String shares = "0:0.8";
        table.add(run(train, test, "wpsgd", t -> t.epochs(10).step(0.5).seed(seed).threads(cores)
                .options(o -> o.workers(w).shares(shares))));
        table.add(run(train, test, "average-directly", t -> t.epochs(10).step(0.5).seed(seed).threads(cores)
                .options(o -> o.workers(w).shares(shares))));
        double fStar = table.get(0).objective();
        out.printf("%-16s %7s %7s %10s %16s %12s %9s %9s%n", "algorithm", "threads", "epochs", "train s", "objective",
                "rel.subopt", "train acc", "test acc");
        for (Row r : table)
            out.printf(Locale.ROOT, "%-16s %7d %7d %10.3f %16.10f %12.2e %9.4f %9.4f%n", r.algorithm(), r.threads(), r.epochs(),
                    r.seconds(), r.objective(), Math.max(0, (r.objective() - fStar) / fStar), r.trainAcc(), r.testAcc());
        out.println();
        out.println("rel.subopt = (F - F*)/F* with F* from L-BFGS; epochs are iterations for lbfgs/gd/agd. "
                + "See bin/warthog train --help to run one solver on your own data.");
        return 0;
    }

    private Row run(Dataset train, Dataset test, String algorithm, java.util.function.UnaryOperator<Training> cfg) {
        Training t = cfg.apply(Warthog.train(train).loss(Loss.LOGISTIC).l2(l2).algorithm(algorithm).test(test).evalEvery(1000000));
        Training.Fit f = t.run();
        return new Row(algorithm, f.result().threads(), f.result().epochs(), f.trainSeconds(), f.objective(),
                f.trainAccuracy(), f.testAccuracy());
    }
}
