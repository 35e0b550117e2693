package io.transfer4j.spark.cli;

import io.transfer4j.util.UserException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code transfer4j spark ...}: the Spark commands, a thin layer over {@link io.transfer4j.spark.SparkTransfer}
 * and {@link io.transfer4j.spark.SparkBundles}. Run by {@code ./transfer4j spark} (which builds this
 * module) or by {@code spark-submit --class io.transfer4j.spark.cli.SparkMain}.
 */
@Command(name = "transfer4j spark", mixinStandardHelpOptions = true,
        description = "transfer4j on Apache Spark: embed, train heads and predict over data that outgrows one machine.",
        subcommands = {SparkTrainCommand.class, SparkPredictCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
    /** How a task's user error reads once Spark has wrapped it in its job-failure message. */
    private static final Pattern WRAPPED = Pattern.compile("io\\.transfer4j\\.util\\.UserException: ([^\\n]*)");

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        int code = execute(args);
        // Spark leaves non-daemon threads behind in some failure paths; the exit code is what counts
        System.exit(code);
    }

    /** Runs the command and returns its exit code: 0 ok, 1 internal error, 2 bad input or usage. */
    public static int execute(String... args) {
        boolean verbose = Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose");
        System.setProperty("ai.djl.offline", "true");
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String user = userMessage(ex);
            if (user != null) {
                cmd.getErr().println("error: " + user);
                return 2;
            }
            if (verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().println("internal error: " + firstLine(ex.toString()) + " (rerun with --verbose for the stack trace and report it)");
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * The user error behind {@code t}, if any: thrown on the driver, or on an executor and carried
     * back by Spark (as the cause when it could deserialise it, else only inside its message).
     */
    static String userMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserException u) {
                return u.getMessage();
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            Matcher m = WRAPPED.matcher(String.valueOf(c.getMessage()));
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
