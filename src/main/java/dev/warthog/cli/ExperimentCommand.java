package dev.warthog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code warthog experiment NAME}: reproduces a figure of the seed papers on this machine.
 * Each experiment writes a table (stdout and PREFIX.md), PREFIX.csv, a plot (PNG and SVG) and,
 * with {@code --json FILE}, per method its final metric and its time to reach the target.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Reproduce a seed paper's experiment: wpsgd (seed 001 Fig. 6-7), adacomm (seed 003 Fig. 1), "
                + "runtime (seed 003 Theorem 1).",
        subcommands = {WpsgdExperiment.class, AdaCommExperiment.class, RuntimeExperiment.class})
final class ExperimentCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing experiment: wpsgd, adacomm or runtime");
    }
}
