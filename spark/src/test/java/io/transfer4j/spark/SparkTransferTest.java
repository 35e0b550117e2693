package io.transfer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.bundle.Bundle;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library API on real reviews: a Spark run becomes a normal bundle, and a bundle a Spark model. */
class SparkTransferTest {
    static SparkSession spark;
    static Dataset<Row> reviews;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("transfer4j-api-test").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        reviews = SparkStagesTest.demo(spark).sample(false, 0.3, 5).cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static SparkTransferConfig.Builder config() {
        return SparkTransferConfig.builder().maxLength(64).sampleRows(300).seeds(2);
    }

    @Test
    void aSparkRunIsANormalBundleAndItsHeadIsTheBundlesHead(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("bundle");
        try (SparkRun run = new SparkTransfer(config().build()).fit(reviews, "demo reviews")) {
            assertTrue(run.run().transfer().test().accuracy() > 0.8, "accuracy " + run.run().transfer().test().accuracy());
            assertTrue(run.run().testSize() > 50);
            assertNotNull(run.run().scratch(), "the sample's scratch baseline");
            assertNotNull(run.run().guard(), "the negative-transfer check over the seeds");
            assertEquals(2, run.run().guard().seeds().size());
            assertTrue(run.timings().rows() > 400);
            run.save(dir, null);
        }
        for (String f : List.of(Bundle.MANIFEST, Bundle.HEAD, Bundle.SUMMARY, "report.html", SparkRun.SPARK_JSON)) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        PipelineModel saved = PipelineModel.load(dir.resolve(SparkRun.SPARK_MODEL).toUri().toString());
        Dataset<Row> scored = saved.transform(reviews.limit(40)).cache();
        List<Row> rows = scored.select(SparkBundles.FEATURES, "probability").collectAsList();
        // the bundle read by the core (what predict and evaluate do) gives the same probabilities on the same features
        try (ProbeClassifier core = Bundle.load(dir)) {
            float[][] x = new float[rows.size()][];
            for (int i = 0; i < x.length; i++) {
                double[] v = ((Vector) rows.get(i).get(0)).toArray();
                x[i] = new float[v.length];
                for (int d = 0; d < v.length; d++) {
                    x[i][d] = (float) v[d];
                }
            }
            float[][] p = core.probabilitiesOfFeatures(x);
            for (int i = 0; i < x.length; i++) {
                Vector sp = (Vector) rows.get(i).get(1);
                for (int k = 0; k < p[i].length; k++) {
                    assertEquals(p[i][k], sp.apply(k), 1e-5, "row " + i + " class " + k);
                }
            }
        }
        // without its Spark model the bundle converts to the same pipeline
        AtomicDirectory.deleteTree(dir.resolve(SparkRun.SPARK_MODEL));
        PipelineModel converted = SparkBundles.load(dir, "text");
        List<Row> again = converted.transform(reviews.limit(40)).select("probability").collectAsList();
        for (int i = 0; i < again.size(); i++) {
            assertEquals(((Vector) rows.get(i).get(1)).apply(0), ((Vector) again.get(i).get(0)).apply(0), 1e-6);
        }
    }

    @Test
    void mllibTrainsTheHeadDistributed() {
        try (SparkRun run = new SparkTransfer(config().trainer(HeadTrainer.MLLIB).sampleRows(0).build()).fit(reviews, "demo")) {
            assertTrue(run.run().transfer().test().accuracy() > 0.8, "accuracy " + run.run().transfer().test().accuracy());
            assertEquals(null, run.run().guard());
            assertTrue(run.run().warnings().get(0).contains("--sample 0"), run.run().warnings().toString());
        }
    }

    @Test
    void badInputIsAOneLineErrorNamingTheFix() throws Exception {
        UserException noColumn = assertThrows(UserException.class,
                () -> new SparkTransfer(config().labelColumn("sentiment").build()).fit(reviews, "demo"));
        assertTrue(noColumn.getMessage().contains("no column 'sentiment'") && noColumn.getMessage().contains("--label-column"),
                noColumn.getMessage());
        Dataset<Row> oneClass = reviews.filter(functions.col("label").equalTo("positive"));
        UserException one = assertThrows(UserException.class, () -> new SparkTransfer(config().build()).fit(oneClass, "demo"));
        assertTrue(one.getMessage().contains("at least two classes"), one.getMessage());
        Dataset<Row> empty = spark.createDataFrame(List.<Row>of(), new StructType().add("text", "string").add("label", "string"));
        UserException none = assertThrows(UserException.class, () -> new SparkTransfer(config().build()).fit(empty, "empty.csv"));
        assertTrue(none.getMessage().contains("no rows"), none.getMessage());
        Dataset<Row> holes = reviews.withColumn("text", functions.when(functions.col("label").equalTo("positive"),
                functions.lit(null).cast("string")).otherwise(functions.col("text")));
        UserException missing = assertThrows(UserException.class, () -> new SparkTransfer(config().build()).fit(holes, "holes.csv"));
        assertTrue(missing.getMessage().contains("have no text or no label"), missing.getMessage());
        Path latin1 = Files.createTempFile("latin1", ".csv");
        Files.write(latin1, "text,label\ncaf\u00e9 au lait,positive\nna\u00efve,negative\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Dataset<Row> mojibake = spark.read().option("header", "true").csv(latin1.toString());
        UserException notUtf8 = assertThrows(UserException.class, () -> new SparkTransfer(config().build()).fit(mojibake, "latin1.csv"));
        assertTrue(notUtf8.getMessage().contains("not UTF-8"), notUtf8.getMessage());
        Files.delete(latin1);
    }
}
