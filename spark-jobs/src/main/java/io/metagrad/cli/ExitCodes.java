package io.metagrad.cli;

import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** Maps failures to exit codes and prints them without a stack trace for expected errors. */
final class ExitCodes {

    static final int FAILED = 1;
    static final int INVALID = 2;
    static final int MISSING_INPUT = 3;

    private ExitCodes() {}

    static int of(Throwable error) {
        Throwable cause = rootCause(error);
        if (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException) {
            return MISSING_INPUT;
        }
        if (cause instanceof IllegalArgumentException || error instanceof CommandLine.ParameterException) {
            return INVALID;
        }
        return FAILED;
    }

    static int report(Exception error, CommandLine commandLine, CommandLine.ParseResult parsed) {
        Throwable cause = rootCause(error);
        int code = of(error);
        String name = commandLine.getCommandName();
        if (code == FAILED) {
            error.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().println(name + ": " + cause.getMessage());
        return code;
    }

    private static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
