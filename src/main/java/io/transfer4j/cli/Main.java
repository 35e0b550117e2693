package io.transfer4j.cli;

import io.transfer4j.util.UserException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "transfer4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Transfer learning on the JVM: adapt a pre-trained model to your labelled data, measured against a model trained from scratch.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, PredictCommand.class, EvaluateCommand.class,
            BackbonesCommand.class, RankCommand.class, BenchCommand.class, OnnxCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code: 0 ok, 1 internal error, 2 bad input or usage. */
    public static int execute(String... args) {
        boolean verbose = Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        System.setProperty("ai.djl.offline", "true");
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            UserException user = findUserException(ex);
            if (user != null) {
                cmd.getErr().println("error: " + user.getMessage());
                return 2;
            }
            if (verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().println("internal error: " + ex + " (rerun with --verbose for the stack trace and report it)");
            return 1;
        });
        return cli.execute(args);
    }

    private static UserException findUserException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserException u) {
                return u;
            }
        }
        return null;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"transfer4j " + (v == null ? "dev" : v)};
        }
    }
}
