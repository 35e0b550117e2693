package io.transfer4j.spark.cli;

import io.transfer4j.report.RunReport;
import io.transfer4j.spark.HeadTrainer;
import io.transfer4j.spark.SparkRun;
import io.transfer4j.spark.SparkTransfer;
import io.transfer4j.spark.SparkTransferConfig;
import io.transfer4j.util.Json;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Embed labelled texts on Spark with a frozen backbone, fit a transfer head and score it on a held-out part; "
                + "the scratch baseline and the negative-transfer check run on a sample. --out is a normal bundle "
                + "(predict, evaluate, export read it) with the Spark ML model in spark-model/."})
final class SparkTrainCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark;

    @Option(names = "--data", required = true, description = "Labelled texts: .csv (header), .jsonl or Parquet (file or folder).")
    String data;

    @Option(names = "--text-column", defaultValue = "text", description = "Column of texts (default: ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--label-column", defaultValue = "label", description = "Column of labels (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--backbone", defaultValue = "bge-small-q",
            description = "Catalogue id, id@layer, a model.onnx with tokenizer.json beside it, or a text bundle (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--max-length", defaultValue = "0", description = "Tokens per window; 0 = the backbone's limit (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--max-windows", defaultValue = "8", description = "Windows read per long text (default: ${DEFAULT-VALUE}).")
    int maxWindows;

    @Option(names = "--head", defaultValue = "transfer4j",
            description = "Head trainer: transfer4j (train's probe on features collected to the driver) or mllib (distributed) (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--max-collected", defaultValue = "1000000",
            description = "Most rows the transfer4j head trainer collects to the driver (default: ${DEFAULT-VALUE}).")
    int maxCollected;

    @Option(names = "--test-fraction", defaultValue = "0.2", description = "Share of rows held out for the score (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--sample", defaultValue = "5000",
            description = "Rows of the sample the scratch baseline and the negative-transfer check run on; 0 skips them (default: ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds the sample check repeats over (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, the head and the sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Bundle folder to write (replaced atomically when it exists).")
    Path out;

    @Override
    public Integer call() {
        SparkTransferConfig config = SparkTransferConfig.builder().backbone(backbone).textColumn(textColumn).labelColumn(labelColumn)
                .maxLength(maxLength).maxWindows(maxWindows).trainer(HeadTrainer.parse(head)).testFraction(testFraction).seed(seed)
                .sampleRows(sample).seeds(seeds).maxCollected(maxCollected).progress(spark.progress()).build();
        SparkSession session = spark.session();
        try (SparkRun run = new SparkTransfer(config).fit(DataFiles.read(session, data), data)) {
            run.save(out, Json.bytes(config.toBuilder().progress(null).build()));
            print(run);
            return 0;
        } finally {
            session.stop();
        }
    }

    private void print(SparkRun r) {
        SparkRun.Timings t = r.timings();
        System.out.printf(Locale.ROOT, "spark: %d rows in %d partitions embedded in %.1f s (%.1f texts/s); head (%s) fitted in %.1f s; "
                + "sample check %.1f s%n", t.rows(), t.partitions(), t.embedMillis() / 1000.0, t.textsPerSecond(), r.trainer().id(),
                t.fitMillis() / 1000.0, t.checkMillis() / 1000.0);
        System.out.print(RunReport.table(r.run()));
        System.out.print(RunReport.verdict(r.run()));
        System.out.println("bundle: " + out + " (Spark ML model in " + out.resolve(SparkRun.SPARK_MODEL) + ")");
    }
}
