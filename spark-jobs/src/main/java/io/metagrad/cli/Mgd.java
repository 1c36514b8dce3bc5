package io.metagrad.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mgd} command line: one subcommand per job. */
@Command(
        name = "mgd",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "metagrad: choose, weigh and audit training data with exact metagradients.",
        subcommands = {DemoCommand.class, IngestCommand.class, FeaturizeCommand.class, PrepareCommand.class, SelectCommand.class,
            CurateCommand.class, EvaluateCommand.class, AttributeCommand.class, ValidateCommand.class,
            SmoothnessCommand.class, PoisonCommand.class, TuneLrCommand.class, SampleCommand.class, SampleClipCommand.class, SampleDataCompCommand.class, SampleTextCommand.class,
            BenchCommand.class, ShowCommand.class, ReportCommand.class,
            CommandLine.HelpCommand.class})
public final class Mgd implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On failure, print the stack trace and Spark's task-failure logs too.")
    boolean verbose;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Specify a subcommand");
    }

    /**
     * Builds the command line with the project's exit codes: 2 bad usage, input or settings, 3 missing input, 1 otherwise;
     * the message is the last line printed, with a stack trace only under {@code --verbose}.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Mgd()).setExitCodeExceptionMapper(ExitCodes::of).setExecutionExceptionHandler(ExitCodes::report)
                .setParameterExceptionHandler(ExitCodes::usage).setExecutionStrategy(ExitCodes::strictly);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
