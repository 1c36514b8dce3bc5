package io.metagrad.spark;

import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * The {@code main} of a job run by {@code spark-submit --class …}: parses the same options as
 * the {@code mgd} subcommand, runs the job, and exits like {@code mgd} does (2 for bad usage,
 * input or settings, 3 for a missing input, 1 otherwise), printing {@code job: message} last for
 * errors and a stack trace only with {@code --verbose} ({@link Failures}).
 */
public final class JobMain {

    private JobMain() {}

    /** The exit code of a failure: 3 for a missing input, 2 for invalid input, usage or settings, else 1 ({@link Failures}). */
    public static int exitCode(Throwable error) {
        return Failures.exitCode(error);
    }

    /** The innermost cause, whose message names what went wrong. */
    public static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Parses {@code args} into {@code options} and runs {@code body}; {@code -h}/{@code --help} prints the options
     * instead. Exits the JVM only on failure, with {@link #exitCode}.
     */
    public static <O> void run(String job, String[] args, O options, Consumer<O> body) {
        int code = 0;
        CommandLine cl = new CommandLine(options).setCommandName(job);
        // The options classes are bare mixins; the mgd commands get --help and --verbose from Mgd, a main needs them here.
        cl.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        cl.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("--verbose").type(boolean.class)
                .description("On failure, print the stack trace and Spark's task-failure logs too.").build());
        boolean verbose = false;
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(args);
            if (!parsed.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(cl, parsed.unmatched());
            }
            if (cl.isUsageHelpRequested()) {
                cl.usage(System.out);
                return;
            }
            verbose = parsed.hasMatchedOption("--verbose");
            Verbosity.apply(verbose);
            body.accept(options);
        } catch (CommandLine.ParameterException e) {
            System.err.println("See '" + job + " --help' for the options.");
            System.err.println(job + ": " + e.getMessage());
            code = 2;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            code = exitCode(e);
            if ("true".equals(System.getProperty("spark.ui.showConsoleProgress"))) {
                System.err.println(); // end a progress bar the failed stage left, so the message has its own line
            }
            if (verbose) {
                e.printStackTrace();
            }
            System.err.println(job + ": " + Failures.message(e, o -> cl.getCommandSpec().findOption(o) != null));
        }
        if (code != 0) {
            System.exit(code);
        }
    }
}
