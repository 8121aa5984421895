package dev.warthog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Temporary parent of the experiments (the lead's integration replaces it). */
@Command(name = "experiment", mixinStandardHelpOptions = true, description = "Reproduce a seed paper's experiment.",
        subcommands = {WpsgdExperiment.class})
final class ExperimentCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing experiment: wpsgd");
    }
}
