package dev.warthog.cli;

import picocli.CommandLine.Command;

/** Temporary parent of the averaging experiments (the lead's experiment command replaces it). */
@Command(name = "experiment", mixinStandardHelpOptions = true, description = "Reproduce an experiment of the seeds.",
        subcommands = {AdaCommExperiment.class, RuntimeExperiment.class})
final class ExperimentCommand implements Runnable {
    @Override public void run() { System.out.println("give an experiment: adacomm or runtime"); }
}
