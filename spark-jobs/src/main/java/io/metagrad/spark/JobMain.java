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

    public static <O> void run(String job, String[] args, O options, Consumer<O> body) {
        int code = 0;
        try {
            new CommandLine(options).parseArgs(args);
            body.accept(options);
        } catch (CommandLine.ParameterException e) {
            System.err.println(job + ": " + e.getMessage());
            code = 2;
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            code = cause instanceof FileNotFoundException || cause instanceof NoSuchFileException ? 3
                    : cause instanceof IllegalArgumentException ? 2 : 1;
            if (code == 1) {
                e.printStackTrace();
            }
            System.err.println(job + ": " + cause.getMessage());
        }
        if (code != 0) {
            System.exit(code);
        }
    }
}
