package io.metagrad.cli;

import io.metagrad.spark.JobMain;
import picocli.CommandLine;

/** Maps failures to exit codes and prints them without a stack trace for expected errors. */
final class ExitCodes {

    static final int FAILED = 1;
    static final int INVALID = 2;
    static final int MISSING_INPUT = 3;

    private ExitCodes() {}

    static int of(Throwable error) {
        return JobMain.exitCode(error);
    }

    static int report(Exception error, CommandLine commandLine, CommandLine.ParseResult parsed) {
        Throwable cause = JobMain.rootCause(error);
        int code = of(error);
        String name = commandLine.getCommandName();
        if (code == FAILED) {
            error.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().println(name + ": " + cause.getMessage());
        return code;
    }
}
