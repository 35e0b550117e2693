package io.transfer4j.spark;

import io.transfer4j.bundle.Bundle;
import io.transfer4j.bundle.Manifest;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.train.HeadType;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;

/**
 * Bundles as Spark models: any text bundle with a linear head (every linear probe, few-shot and
 * fine-tuned-then-probed bundle) becomes a {@code PipelineModel} of a {@link TextEmbedder} reading
 * the bundle's own encoder exactly as its manifest says, and a {@link TransferClassificationModel}
 * holding its head. A bundle written by {@code spark train} carries that model already.
 */
public final class SparkBundles {
    /** Name of the feature column a bundle's Spark model writes between its two stages. */
    public static final String FEATURES = "_t4j_features";

    private SparkBundles() {}

    /** The Spark model of the bundle in {@code dir}, reading texts from {@code textColumn}. */
    public static PipelineModel load(Path dir, String textColumn) {
        Path saved = dir.resolve(SparkRun.SPARK_MODEL);
        if (Files.isDirectory(saved)) {
            PipelineModel m = PipelineModel.load(saved.toUri().toString());
            ((TextEmbedder) m.stages()[0]).setInputCol(textColumn);
            return m;
        }
        Manifest manifest = Bundle.readManifest(dir);
        if (manifest.head().type() != HeadType.LOGISTIC) {
            throw new UserException("bundle " + dir + " has a " + manifest.head().type().name().toLowerCase(java.util.Locale.ROOT)
                    + " head; Spark runs linear heads only: retrain with --head logistic");
        }
        LinearHead head;
        try (ProbeClassifier c = Bundle.load(dir)) {
            head = LinearHead.of(c.labels().names(), c.standardizer(), c.head(), manifest.head().l2(), Double.NaN);
        }
        TextEmbedder embedder = new TextEmbedder().setInputCol(textColumn).setOutputCol(FEATURES)
                .setBackbone(dir.toAbsolutePath().normalize().toString()).setMaxLength(manifest.backbone().maxLength())
                .setMaxWindows(manifest.backbone().maxWindows());
        TransferClassificationModel model = new TransferClassificationModel("t4jBundleHead_" + manifest.backbone().sha256().substring(0, 12),
                head).setFeaturesCol(FEATURES);
        return new PipelineModel("t4jBundle_" + manifest.backbone().sha256().substring(0, 12), new Transformer[] {embedder, model});
    }
}
