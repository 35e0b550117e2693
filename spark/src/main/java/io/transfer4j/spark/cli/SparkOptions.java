package io.transfer4j.spark.cli;

import io.transfer4j.spark.StageProgress;
import io.transfer4j.util.Progress;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every Spark command takes, and the session they make. */
public final class SparkOptions {
    @Option(names = "--master", defaultValue = "local[*]",
            description = "Spark master: local[N] in this JVM, spark://HOST:7077 for a standalone cluster (default: ${DEFAULT-VALUE}). "
                    + "Under spark-submit the master spark-submit was given wins.")
    String master;

    @Option(names = "--conf", description = "Extra Spark settings, KEY=VALUE (repeatable), e.g. spark.executor.memory=4g.")
    java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();

    @Option(names = "--ui", description = "Start Spark's web UI (off by default; it binds to this machine's address).")
    boolean ui;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars on stderr.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Spark's INFO log and stack traces on stderr.")
    boolean verbose;

    Progress progress() {
        return quiet ? Progress.SILENT : Progress.console();
    }

    /**
     * The session: spark-submit's when it made one (its master then applies), else a new one on
     * {@link #master}. Local sessions bind the driver to 127.0.0.1, so nothing listens on the network.
     */
    SparkSession session() {
        boolean submitted = System.getProperty("spark.master") != null;
        SparkSession.Builder b = SparkSession.builder().appName("transfer4j");
        if (!submitted) {
            b.master(master);
        }
        String m = submitted ? System.getProperty("spark.master") : master;
        if (m.startsWith("local") || m.contains("://127.0.0.1") || m.contains("://localhost")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        b.config("spark.ui.enabled", String.valueOf(ui)).config("spark.ui.showConsoleProgress", "false");
        for (var e : conf.entrySet()) {
            b.config(e.getKey(), e.getValue());
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel(verbose ? "INFO" : "WARN");
        if (!quiet) {
            s.sparkContext().addSparkListener(new StageProgress(progress()));
        }
        return s;
    }
}
