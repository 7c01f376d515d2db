package org.jvision.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jvision} command: train, evaluate and predict with image classifiers.
 *
 * <p>Exit codes: 0 success; 1 bad input (a data or model file that is wrong, a shape mismatch) or a
 * failed run (diverged training), always with a one-line message; 2 bad command-line usage.
 */
@Command(name = "jvision", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Build, train, evaluate and run image classifiers (CNNs) on the JVM.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new UserErrors());
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jvision " + (v == null ? "development build" : v) + " on Java " + Runtime.version()};
        }
    }
}
