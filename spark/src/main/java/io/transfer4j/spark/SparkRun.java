package io.transfer4j.spark;

import io.transfer4j.bundle.Bundle;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.run.RunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;

/**
 * What {@link SparkTransfer#fit} made: the Spark {@code PipelineModel} (embedding, then the head),
 * the run record a bundle stores, and where the time went. Closing it releases the head's native
 * memory.
 */
public final class SparkRun implements AutoCloseable {
    /** Folder inside a bundle holding the Spark ML model, read back with {@code PipelineModel.load}. */
    public static final String SPARK_MODEL = "spark-model";
    /** The Spark side of the run: sizes, timings, partitions. */
    public static final String SPARK_JSON = "spark.json";

    private final PipelineModel model;
    private final TransferRun<ProbeClassifier, RunConfig> run;
    private final Timings timings;
    private final HeadTrainer trainer;

    /**
     * @param rows rows embedded (train and test)
     * @param totalMillis the whole fit, sample check included
     */
    public record Timings(long rows, long embedMillis, long fitMillis, long scoreMillis, long checkMillis, long totalMillis,
            int partitions) {
        public double textsPerSecond() {
            return rows * 1000.0 / Math.max(1, embedMillis);
        }
    }

    SparkRun(PipelineModel model, TransferRun<ProbeClassifier, RunConfig> run, Timings timings, HeadTrainer trainer) {
        this.model = model;
        this.run = run;
        this.timings = timings;
        this.trainer = trainer;
    }

    public PipelineModel model() {
        return model;
    }

    public TransferRun<ProbeClassifier, RunConfig> run() {
        return run;
    }

    public Timings timings() {
        return timings;
    }

    public HeadTrainer trainer() {
        return trainer;
    }

    /**
     * Writes {@code dir} as a normal bundle (what {@code predict}, {@code evaluate} and
     * {@code export} read) with the Spark ML model in {@link #SPARK_MODEL} and the timings in
     * {@link #SPARK_JSON} beside it, all or nothing: everything is written to a temporary sibling first.
     */
    public void save(Path dir, byte[] configYaml) {
        AtomicDirectory.write(dir, tmp -> {
            Path inner = tmp.resolve("bundle");
            Bundle.save(run, inner, configYaml);
            try (Stream<Path> files = Files.list(inner)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.move(p, tmp.resolve(p.getFileName()));
                }
            }
            Files.delete(inner);
            model.write().save(tmp.resolve(SPARK_MODEL).toUri().toString());
            Files.write(tmp.resolve(SPARK_JSON), Json.bytes(new SparkRecord(trainer.id(), timings, model.uid())));
        });
    }

    /** {@link #SPARK_JSON}'s content. */
    public record SparkRecord(String trainer, Timings timings, String sparkModelUid) {}

    @Override
    public void close() {
        run.close();
    }

}
