package io.metagrad.cli;

import io.metagrad.spark.Failures;
import io.metagrad.spark.Verbosity;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The exit codes of {@code mgd} ({@link Failures}: 2 bad input, usage or settings, 3 missing input, 1 other) and how
 * failures are printed: the message on the last line, a stack trace only with {@code --verbose}.
 */
final class ExitCodes {

    static final int FAILED = Failures.FAILED;
    static final int INVALID = Failures.INVALID;
    static final int MISSING_INPUT = Failures.MISSING_INPUT;

    private ExitCodes() {}

    static int of(Throwable error) {
        return Failures.exitCode(error);
    }

    /** A job that failed while running. */
    static int report(Exception error, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if ("true".equals(System.getProperty("spark.ui.showConsoleProgress"))) {
            System.err.println(); // end a progress bar the failed stage left, so the message has its own line
        }
        if (verbose(commandLine)) {
            error.printStackTrace(err);
        }
        err.println(qualifiedName(commandLine) + ": "
                + Failures.message(error, option -> commandLine.getCommandSpec().findOption(option) != null));
        err.flush();
        return of(error);
    }

    /** A command line that does not parse: a hint, then the message on the last line. */
    static int usage(CommandLine.ParameterException error, String[] args) {
        CommandLine cl = error.getCommandLine();
        PrintWriter err = cl.getErr();
        String message = error.getMessage();
        if (error instanceof CommandLine.UnmatchedArgumentException unmatched) {
            CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err);
            message = unknownCommand(cl, unmatched.getUnmatched()).orElse(message);
        }
        err.println("See '" + qualifiedName(cl) + " --help' for the options.");
        err.println(qualifiedName(cl) + ": " + message);
        err.flush();
        return INVALID;
    }

    /**
     * Runs the parsed command unless some argument matched nothing: picocli would otherwise answer
     * {@code mgd poison --help} with the parent's help and exit 0.
     */
    static int strictly(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            List<String> unmatched = p.unmatched();
            if (unmatched.isEmpty()) {
                continue;
            }
            throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), unmatched);
        }
        Verbosity.apply(verbose(parsed.commandSpec().commandLine()));
        return new CommandLine.RunLast().execute(parsed);
    }

    /** "unknown command 'x'; the commands are: …" when {@code unmatched} starts with a word where a subcommand goes. */
    private static java.util.Optional<String> unknownCommand(CommandLine cl, List<String> unmatched) {
        if (cl.getSubcommands().isEmpty() || unmatched.isEmpty() || unmatched.get(0).startsWith("-")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("unknown command '" + unmatched.get(0) + "'; the commands are: " + cl.getSubcommands().keySet()
                .stream().filter(n -> !n.equals("help")).collect(Collectors.joining(", ")));
    }

    private static boolean verbose(CommandLine commandLine) {
        Object root = commandLine.getCommandSpec().root().userObject();
        return root instanceof Mgd m && m.verbose;
    }

    /** {@code mgd select}, not just {@code select}. */
    private static String qualifiedName(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName();
    }
}
