package io.transfer4j.spark;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.EmbeddingCache;
import io.transfer4j.data.TextDataset;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.run.RunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.text.TextModality;
import io.transfer4j.util.Dirs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The scratch baseline and the negative-transfer check on a sample the driver holds: the one
 * pipeline of {@code train} (linear probe versus the hashed n-gram scratch model, same split and
 * budget, repeated over seeds with a confidence interval) on a seeded sample of the embedded rows.
 * The sample's vectors are the ones Spark computed: they are put in the embedding cache first, so
 * the driver embeds nothing again.
 */
final class SampleCheck {
    private SampleCheck() {}

    /** The sample's run, or null when {@code config.sampleRows()} is 0; the caller closes it. */
    static TransferRun<ProbeClassifier, RunConfig> run(Dataset<Row> embedded, long rows, StagedBackbone backbone, RunConfig runConfig,
            SparkTransferConfig config, String features) {
        if (config.sampleRows() == 0) {
            return null;
        }
        double share = Math.min(1, config.sampleRows() / (double) rows);
        List<Row> sample = new ArrayList<>(embedded.filter(SplitColumn.of(config.seed() + 1, functions.col(config.textColumn())).lt(share))
                .select(config.textColumn(), config.labelColumn(), features).collectAsList());
        sample.sort(Comparator.comparing((Row r) -> r.getString(0)).thenComparing(r -> r.getString(1)));
        List<String> texts = new ArrayList<>(sample.size());
        List<String> labels = new ArrayList<>(sample.size());
        EmbeddingCache cache = null;
        for (Row r : sample) {
            double[] v = ((Vector) r.get(2)).toArray();
            if (cache == null) {
                cache = EmbeddingCache.open(Dirs.embeddings(), backbone.sha256(), backbone.maxLength(), backbone.maxWindows(),
                        backbone.prefix(), backbone.pooling(), v.length);
            }
            float[] f = new float[v.length];
            for (int d = 0; d < v.length; d++) {
                f[d] = (float) v[d];
            }
            cache.put(EmbeddingCache.keyOf(r.getString(0)), f);
            texts.add(r.getString(0));
            labels.add(r.getString(1));
        }
        if (cache != null) {
            cache.flush();
        }
        TextDataset data = new TextDataset("a " + sample.size() + "-row sample of the Spark data", texts, labels);
        return new Pipeline<>(new TextModality(BackboneCatalogue.load()), runConfig).seeds(config.seeds()).progress(config.progress())
                .run(data);
    }
}
