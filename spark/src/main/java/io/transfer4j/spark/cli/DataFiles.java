package io.transfer4j.spark.cli;

import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Tables in and out of Spark by their file name: CSV (with a header), JSON lines, or Parquet. */
final class DataFiles {
    private DataFiles() {}

    enum Format {
        CSV, JSONL, PARQUET;

        static Format of(String path) {
            String p = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
            if (p.endsWith(".csv")) {
                return CSV;
            }
            if (p.endsWith(".jsonl") || p.endsWith(".json")) {
                return JSONL;
            }
            return PARQUET;
        }
    }

    /** Reads {@code path}; a local path must exist (other file systems are Spark's to check). */
    static Dataset<Row> read(SparkSession spark, String path) {
        if (!path.contains("://") && !Files.exists(Path.of(path))) {
            throw new UserException("input " + path + " does not exist; check the path");
        }
        String uri = path.contains("://") ? path : Path.of(path).toAbsolutePath().toUri().toString();
        switch (Format.of(path)) {
            case CSV:
                // quoted fields may hold line breaks and doubled quotes, as in the CSV files train reads
                return spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"").option("mode", "FAILFAST")
                        .csv(uri);
            case JSONL:
                return spark.read().option("mode", "FAILFAST").json(uri);
            default:
                return spark.read().parquet(uri);
        }
    }

    /**
     * Writes {@code data} to the local folder {@code path} (Spark writes a folder of part files), all
     * or nothing, through {@link AtomicDirectory}: into a temporary sibling (Spark replaces the empty
     * folder it is given), renamed into place when complete.
     */
    static void write(Dataset<Row> data, Path path) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UserException("output " + path + " exists and is not a folder; choose another --output");
        }
        AtomicDirectory.write(path, tmp -> {
            String uri = tmp.toUri().toString();
            Format format = Format.of(path.toString());
            if (format == Format.CSV) {
                data.write().mode(SaveMode.Overwrite).option("header", "true").option("escape", "\"").csv(uri);
            } else if (format == Format.JSONL) {
                data.write().mode(SaveMode.Overwrite).json(uri);
            } else {
                data.write().mode(SaveMode.Overwrite).parquet(uri);
            }
        });
    }
}
