package io.transfer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkStagesTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("transfer4j-test").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Dataset<Row> demo() {
        return demo(spark);
    }

    static Dataset<Row> demo(SparkSession spark) {
        return spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
                .csv(Path.of("../data/demo/imdb-demo.csv").toAbsolutePath().toString());
    }

    @Test
    void pipelineFitsPredictsAndPersists(@TempDir Path tmp) throws Exception {
        Dataset<Row> data = demo().sample(false, 0.25, 7).repartition(3).cache();
        Pipeline p = new Pipeline().setStages(new PipelineStage[] {new TextEmbedder().setMaxLength(64), new TransferClassifier()});
        PipelineModel m = p.fit(data);
        List<Row> out = m.transform(data).select("label", "prediction", "probability").collectAsList();
        long right = out.stream().filter(r -> r.getString(0).equals(r.getString(1))).count();
        System.out.println("train accuracy " + right / (double) out.size());
        assertTrue(right > 0.8 * out.size());
        m.write().overwrite().save(tmp.resolve("m").toString());
        PipelineModel back = PipelineModel.load(tmp.resolve("m").toString());
        List<Row> again = back.transform(data).select("probability").collectAsList();
        for (int i = 0; i < out.size(); i++) {
            Vector a = (Vector) out.get(i).get(2);
            Vector b = (Vector) again.get(i).get(0);
            assertEquals(a.apply(0), b.apply(0), 1e-12);
        }
    }
}
