package io.metagrad.spark;

import io.metagrad.core.train.TrainingDiverged;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * How a failed job is reported, the same for {@code mgd} and {@code spark-submit}: one line
 * {@code job: message} (the last line printed), and an exit code — 2 for invalid input, usage or
 * settings (training that diverges included), 3 for a missing input, 1 for anything else. The
 * message is that of the culprit: the first exception along the cause chain that says what the
 * user can fix (Spark wraps task failures in its own exceptions), or the innermost cause otherwise.
 */
public final class Failures {

    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int MISSING_INPUT = 3;

    private Failures() {}

    /** The exception whose message names what went wrong. */
    public static Throwable culprit(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (missingInput(t) || t instanceof TrainingDiverged || t instanceof IllegalArgumentException
                    || t instanceof CommandLine.ParameterException) {
                return t;
            }
        }
        return JobMain.rootCause(error);
    }

    /** 3 for a missing input, 2 for invalid input, usage or settings, 1 otherwise. */
    public static int exitCode(Throwable error) {
        Throwable c = culprit(error);
        if (missingInput(c)) {
            return MISSING_INPUT;
        }
        return c instanceof IllegalArgumentException || c instanceof TrainingDiverged || c instanceof CommandLine.ParameterException
                ? INVALID : FAILED;
    }

    /**
     * The one-line message for {@code error}. A diverged run names the knobs to turn, among those the
     * command has ({@code hasOption} tells which).
     */
    public static String message(Throwable error, Predicate<String> hasOption) {
        Throwable c = culprit(error);
        String text = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        if (c instanceof TrainingDiverged d) {
            text = d.finding() + "; " + knobs(d, hasOption);
        } else if (exitCode(error) == FAILED) {
            text = c.getClass().getSimpleName() + ": " + text + " (rerun with --verbose for the stack trace)";
        }
        return oneLine(text);
    }

    /** The flags that steer a diverging run back, with their values in that run. */
    static String knobs(TrainingDiverged d, Predicate<String> hasOption) {
        List<String> fixes = new ArrayList<>();
        fixes.add(String.format(Locale.ROOT, "lower the learning rate (--lr; the step used %.4g)", d.learningRate()));
        if (hasOption.test("--grad-clip")) {
            fixes.add(d.gradClipNorm() > 0 ? String.format(Locale.ROOT, "clip gradients harder (--grad-clip, now %.4g)", d.gradClipNorm())
                    : "clip gradients (--grad-clip, now off)");
        }
        if (hasOption.test("--batch-size")) {
            fixes.add("use larger batches (--batch-size, now " + d.batchSize() + ")");
        }
        String bound = hasOption.test("--max-loss-ratio") ? "; --max-loss-ratio sets the loss bound" : "";
        return String.join(", or ", fixes) + bound + "; nothing was written for this run";
    }

    private static boolean missingInput(Throwable t) {
        return t instanceof FileNotFoundException || t instanceof NoSuchFileException;
    }

    private static String oneLine(String text) {
        String[] lines = text.strip().split("\\R");
        String first = lines[0].strip();
        return lines.length > 1 ? first + " …" : first;
    }
}
