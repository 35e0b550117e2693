package io.transfer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stages on executors that are separate JVM processes of a standalone cluster: the backbone
 * travels by Spark's file distribution, the stages and closures by serialisation, this module's
 * classes as the application jar. The vectors and predictions must match a run in this JVM.
 */
class ClusterTest {
    @Test
    void executorsInOtherProcessesEmbedAndPredictAsThisJvmDoes(@TempDir Path tmp) throws Exception {
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp, 2, "2g")) {
            SparkSession spark = SparkSession.builder().master(cluster.masterUrl).appName("transfer4j-cluster-test")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.executor.memory", "1536m")
                    .config("spark.executor.extraJavaOptions", StandaloneCluster.executorJavaOptions())
                    .config("spark.jars", cluster.appJar.toUri().toString()).getOrCreate();
            try {
                Dataset<Row> data = SparkStagesTest.demo(spark).sample(false, 0.15, 11).repartition(4).cache();
                PipelineModel m = new Pipeline().setStages(new PipelineStage[] {new TextEmbedder().setMaxLength(64),
                        new TransferClassifier()}).fit(data);
                Dataset<Row> scored = m.transform(data).select("text", "features", "prediction", "probability")
                        .orderBy("text");
                List<Row> remote = scored.collectAsList();
                // the tasks ran in the executor processes the worker launched, which fetched this module as the app jar
                String executorLog;
                try (Stream<Path> logs = Files.walk(tmp.resolve("work"))) {
                    Path stderr = logs.filter(p -> p.getFileName().toString().equals("stderr")).findFirst()
                            .orElseThrow(() -> new AssertionError("the worker launched no executor"));
                    executorLog = Files.readString(stderr);
                }
                assertTrue(executorLog.contains("transfer4j-spark-app.jar"), executorLog);
                assertTrue(executorLog.contains("Finished task"), executorLog);
                assertTrue(remote.size() > 100);
                // the same texts, embedded and classified in this JVM by the same fitted model
                SparkSession.clearActiveSession();
                SparkSession.clearDefaultSession();
                spark.stop();
                SparkSession local = SparkSession.builder().master("local[2]").appName("transfer4j-local").config("spark.ui.enabled", "false")
                        .getOrCreate();
                try {
                    // the same rows in the same partitions, so every batch holds the same texts: an int8 backbone's
                    // vectors depend on their batch (its activations are quantised per batch), an fp32 one's do not
                    Dataset<Row> again = SparkStagesTest.demo(local).sample(false, 0.15, 11).repartition(4);
                    List<Row> here = m.transform(again).select("text", "features", "prediction").orderBy("text").collectAsList();
                    assertEquals(remote.size(), here.size());
                    double worst = 0;
                    for (int i = 0; i < remote.size(); i++) {
                        assertEquals(remote.get(i).getString(0), here.get(i).getString(0));
                        Vector a = (Vector) remote.get(i).get(1);
                        Vector b = (Vector) here.get(i).get(1);
                        for (int d = 0; d < a.size(); d++) {
                            worst = Math.max(worst, Math.abs(a.apply(d) - b.apply(d)));
                        }
                        assertEquals(remote.get(i).getString(2), here.get(i).getString(2), "prediction of row " + i);
                    }
                    assertTrue(worst <= 1e-6, "max |remote - local| = " + worst);
                } finally {
                    local.stop();
                }
            } catch (Exception | AssertionError e) {
                try (Stream<Path> logs = Files.walk(tmp.resolve("work"))) {
                    for (Path p : (Iterable<Path>) logs::iterator) {
                        if (p.getFileName().toString().equals("stderr")) {
                            System.err.println("executor log " + p + ":\n" + Files.readString(p));
                        }
                    }
                }
                throw e;
            } finally {
                spark.stop();
            }
        }
    }
}
