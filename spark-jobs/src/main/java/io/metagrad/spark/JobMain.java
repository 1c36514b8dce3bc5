package io.metagrad.spark;

import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * The {@code main} of a job run by {@code spark-submit --class …}: parses the same options as
 * the {@code mgd} subcommand, runs the job, and exits like {@code mgd} does (2 for bad usage
 * or input, 3 for a missing input, 1 otherwise), printing {@code job: message} for errors.
 */
public final class JobMain {

    private JobMain() {}

    /** The exit code of a failure: 3 for a missing input, 2 for invalid input or usage, else 1. */
    public static int exitCode(Throwable error) {
        Throwable cause = rootCause(error);
        if (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException) {
            return 3;
        }
        return cause instanceof IllegalArgumentException || error instanceof CommandLine.ParameterException ? 2 : 1;
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
        try {
            CommandLine cl = new CommandLine(options).setCommandName(job);
            // The options classes are bare mixins; the mgd commands get --help from @Command, a main needs it here.
            cl.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
            cl.parseArgs(args);
            if (cl.isUsageHelpRequested()) {
                cl.usage(System.out);
                return;
            }
            body.accept(options);
        } catch (CommandLine.ParameterException e) {
            System.err.println(job + ": " + e.getMessage());
            code = 2;
        } catch (RuntimeException e) {
            code = exitCode(e);
            if (code == 1) {
                e.printStackTrace();
            }
            System.err.println(job + ": " + rootCause(e).getMessage());
        }
        if (code != 0) {
            System.exit(code);
        }
    }
}
