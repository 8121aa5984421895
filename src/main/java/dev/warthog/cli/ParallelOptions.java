package dev.warthog.cli;

import dev.warthog.engine.Stragglers;
import dev.warthog.solver.SolverOptions;
import picocli.CommandLine.Option;

/**
 * The options of the synchronous, parameter-server and averaging families, shared by
 * {@code train} and {@code bench}. Every one is optional; a solver that does not take an
 * option it was given fails with a message naming it.
 */
final class ParallelOptions {
    @Option(names = "--workers", paramLabel = "M", description = "Logical workers of minibatch-sgd and the averaging family; "
            + "results depend on M, never on --threads (default: the thread count).")
    Integer workers;
    @Option(names = "--aggregate", description = "How gradients are combined: server, sliced or tree (gd, agd, minibatch-sgd; default sliced).")
    String aggregate;
    @Option(names = "--barrier", description = "How synchronous workers wait: phaser or spin (default spin; local-sgd, adacomm and fedavg: spin, or phaser when their threads outnumber the processors; wpsgd, simuparallel and average-directly: phaser, their regions are long).")
    String barrier;
    @Option(names = "--blocks", description = "Row blocks of the deterministic gradient sum (default: from the data's shape).")
    Integer blocks;
    @Option(names = "--form", description = "Mini-batch SGD form: gradient, model or replica (minibatch-sgd; default gradient).")
    String form;
    @Option(names = "--staleness", paramLabel = "S", description = "Bound on how far a worker may run ahead of the slowest, in updates (async-sgd; default unbounded).")
    Integer staleness;
    @Option(names = "--slowdown", paramLabel = "i:factor,...", description = "Worker i takes factor times as long (stragglers).")
    String slowdown;
    @Option(names = "--delay", paramLabel = "exp:MEAN_MS", description = "Random extra delay per iteration: exp:MEAN_MS or fixed:MS.")
    String delay;
    @Option(names = "--stall", paramLabel = "i:after_ms:for_ms,...", description = "Worker i stops for for_ms once, after_ms into the run.")
    String stall;
    @Option(names = "--tau", description = "Local steps between two averagings (local-sgd).")
    Integer tau;
    @Option(names = "--tau0", description = "AdaComm's first period (default: a short grid search).")
    Integer tau0;
    @Option(names = "--interval", paramLabel = "T0", description = "AdaComm's interval: seconds with an s suffix (2s) or local steps (500).")
    String interval;
    @Option(names = "--gamma", description = "AdaComm's period factor when the rule gives no smaller period (default 0.5).")
    Double gamma;
    @Option(names = "--block-momentum", description = "Global momentum on each period's update (adacomm; default 0.3 with local momentum).")
    Double blockMomentum;
    @Option(names = "--local-momentum", description = "Local momentum, reset after each averaging (adacomm, local-sgd).")
    Double localMomentum;
    @Option(names = "--local-steps", paramLabel = "Q", description = "FedAvg's local steps per round.")
    Integer localSteps;
    @Option(names = "--server-step", paramLabel = "A", description = "FedAvg's server step.")
    Double serverStep;
    @Option(names = "--r", description = "WP-SGD's weight base r of eq. (8) (default 1 - lambda eta, eq. (6)).")
    Double r;
    @Option(names = "--span", description = "Periodic WP-SGD: weighted averaging every span iterations of the fastest worker.")
    Integer span;
    @Option(names = "--shares", paramLabel = "i:fraction,...", description = "Per-worker share of the data (unequal workloads).")
    String shares;
    @Option(names = "--comm-delay", paramLabel = "MS", description = "Injected communication delay per averaging round, in ms.")
    Double commDelay;

    /** Copies the options that were given into {@code o}. */
    void apply(SolverOptions.Builder o) {
        Stragglers s = Stragglers.parse(slowdown, delay, stall);
        o.workers(workers).aggregate(aggregate).barrier(barrier).blocks(blocks).form(form).staleness(staleness)
         .stragglers(s.any() ? s : null).tau(tau).tau0(tau0).interval(interval).gamma(gamma)
         .blockMomentum(blockMomentum).localMomentum(localMomentum).localSteps(localSteps).serverStep(serverStep)
         .r(r).span(span).shares(shares).commDelayMs(commDelay);
    }
}
