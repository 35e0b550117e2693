package io.transfer4j.cli;

import io.transfer4j.util.UserException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "transfer4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Transfer learning on the JVM: adapt a pre-trained model to your labelled data, measured against a model trained from scratch.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, AdaptCommand.class, ClusterCommand.class, PretrainCommand.class, CurveCommand.class, PredictCommand.class, EvaluateCommand.class,
            ExportCommand.class, FewShotCommand.class, MetaTrainCommand.class, BackbonesCommand.class, RankCommand.class, AdviseCommand.class, BenchCommand.class, OnnxCommand.class, CommandLine.HelpCommand.class})
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
        try {
            installRunFile(cli, args);
        } catch (UserException e) {
            cli.getErr().println("error: " + e.getMessage());
            return 2;
        }
        return cli.execute(args);
    }

    /** {@code train --config run.yaml}: the file's values become the defaults of the command's options. */
    private static void installRunFile(CommandLine cli, String[] args) {
        if (args.length == 0 || !cli.getSubcommands().containsKey(args[0])) {
            return;
        }
        CommandLine sub = cli.getSubcommands().get(args[0]);
        if (sub.getCommandSpec().findOption("--config") == null) {
            return;
        }
        for (int i = 1; i < args.length; i++) {
            String file = args[i].equals("--config") && i + 1 < args.length ? args[i + 1]
                    : args[i].startsWith("--config=") ? args[i].substring(9) : null;
            if (file != null) {
                sub.setDefaultValueProvider(RunFile.read(java.nio.file.Path.of(file), sub.getCommandSpec()));
                return;
            }
        }
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
