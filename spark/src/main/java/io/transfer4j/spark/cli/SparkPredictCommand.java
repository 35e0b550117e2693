package io.transfer4j.spark.cli;

import io.transfer4j.spark.SparkBundles;
import io.transfer4j.spark.TransferClassificationModel;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict a bundle's labels over a large table on Spark: the input's columns, then prediction and one "
                + "probability column per class (p_<label>). Any text bundle with a linear head works, not only spark train's."})
final class SparkPredictCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark;

    @Option(names = "--model", required = true, description = "Bundle folder (train, fewshot or spark train --out).")
    Path model;

    @Option(names = "--input", required = true, description = "Texts: .csv (header), .jsonl or Parquet (file or folder).")
    String input;

    @Option(names = "--output", required = true,
            description = "Folder to write (Spark part files): CSV when it ends in .csv, JSON lines for .jsonl, else Parquet.")
    Path output;

    @Option(names = "--text-column", defaultValue = "text", description = "Column of texts (default: ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--label-column",
            description = "Column of true labels, when the input has one: accuracy over every row is printed.")
    String labelColumn;

    @Override
    public Integer call() {
        SparkSession session = spark.session();
        try {
            PipelineModel m = SparkBundles.load(model, textColumn);
            TransferClassificationModel head = (TransferClassificationModel) m.stages()[m.stages().length - 1];
            Dataset<Row> in = DataFiles.read(session, input);
            if (labelColumn != null && !Arrays.asList(in.columns()).contains(labelColumn)) {
                throw new UserException("the input has no column '" + labelColumn + "' (its columns: " + String.join(", ", in.columns())
                        + "); drop --label-column or name the right one");
            }
            if (!Arrays.asList(in.columns()).contains(textColumn)) {
                throw new UserException("the input has no column '" + textColumn + "' (its columns: " + String.join(", ", in.columns())
                        + "); name the text column with --text-column");
            }
            Dataset<Row> scored = m.transform(io.transfer4j.spark.Partitions.spread(in, functions.col("`" + textColumn + "`")));
            List<String> labels = head.labels();
            Column probs = org.apache.spark.ml.functions.vector_to_array(functions.col(head.getOrDefault(head.probabilityCol())), "float64");
            java.util.List<Column> cols = new java.util.ArrayList<>();
            for (String c : in.columns()) {
                cols.add(functions.col("`" + c + "`"));
            }
            cols.add(functions.col(head.getOrDefault(head.predictionCol())).as("prediction"));
            for (int k = 0; k < labels.size(); k++) {
                cols.add(probs.getItem(k).as("p_" + labels.get(k)));
            }
            Dataset<Row> out = scored.select(cols.toArray(new Column[0])).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
            try {
                DataFiles.write(out, output);
                long n = out.count();
                System.out.printf(Locale.ROOT, "predicted %d rows with %s -> %s%n", n, model, output);
                if (labelColumn != null) {
                    long right = out.filter(functions.col("`" + labelColumn + "`").cast("string").equalTo(functions.col("prediction"))).count();
                    System.out.printf(Locale.ROOT, "accuracy against %s: %.4f (%d of %d)%n", labelColumn, right / (double) Math.max(1, n), right, n);
                }
            } finally {
                out.unpersist();
            }
            return 0;
        } finally {
            session.stop();
        }
    }
}
