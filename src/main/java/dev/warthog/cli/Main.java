package dev.warthog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * {@code bin/warthog}: a thin shell over the library. Picocli parses the arguments (it
 * gives usage help, typo suggestions and type conversion errors for free); every error a
 * user can cause ends as one line on stderr and a non-zero exit, with the stack trace only
 * under {@code --debug}.
 */
@Command(name = "warthog", mixinStandardHelpOptions = true, version = "warthog 0.1.0",
        description = "Parallel empirical-risk minimisation on every core of one machine.",
        subcommands = {TrainCommand.class, GenCommand.class, PredictCommand.class, DemoCommand.class, CompareCommand.class,
                BenchCommand.class, ExperimentCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for bad arguments or bad input files. */
    public static final int EXIT_USAGE = 2;
    /** Exit status for a failure while running. */
    public static final int EXIT_FAILURE = 1;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces on errors.")
    boolean debug;

    @Override public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command: train, gen, predict or demo (see --help)");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit status (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("warthog: " + ex.getMessage());
            if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || !u.isUnknownOption()) {
                err.println("Try 'warthog " + commandPath(ex.getCommandLine()) + "--help' for usage.");
            } else {
                CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            }
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean debug = java.util.Arrays.asList(args).contains("--debug");
            if (debug) ex.printStackTrace(err);
            err.println("warthog: " + Errors.oneLine(ex));
            return Errors.isUserError(ex) ? EXIT_USAGE : EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    private static String commandPath(CommandLine cl) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine c = cl; c != null && c.getParent() != null; c = c.getParent()) sb.insert(0, c.getCommandName() + " ");
        return sb.toString();
    }
}
