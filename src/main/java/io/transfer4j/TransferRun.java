package io.transfer4j;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.transfer4j.eval.BiasAudit;
import io.transfer4j.train.ProbeClassifier;
import java.util.List;

/**
 * The outcome of {@link TextTransfer#run}: the transferred model, the scratch baseline trained on
 * the same split, and what the backbone's feature extraction cost. Close it to free the model
 * unless you keep the classifier. {@code bias} is the per-group audit when the test texts carry
 * groups, else null.
 */
public record TransferRun(RunConfig config, String trainDataSha256, int trainSize, int validationSize, int testSize,
        int classes, ModelResult transfer, ModelResult scratch, EmbeddingStats embedding, Tuning tuning, List<String> warnings,
        BiasAudit bias, long totalMillis,
        @JsonIgnore ProbeClassifier classifier) implements AutoCloseable {

    /**
     * What a fine-tuning strategy trained (null for a linear probe on cached features).
     *
     * @param adaptedWeights weight matrices given LoRA adapters
     * @param tunedBackbone folder holding the exported tuned encoder until the bundle copies it
     */
    public record Tuning(String strategy, long trainableParameters, long totalParameters, int maxLength,
            long millisPerEpoch, int adaptedWeights, @JsonIgnore java.nio.file.Path tunedBackbone) {}

    /** Feature extraction: texts encoded by the backbone vs. served by the cache. */
    public record EmbeddingStats(String backbone, String backboneSha256, long encoded, long cacheHits, long truncated,
            long encodeMillis, long extractMillis) {}

    public TransferRun {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** Transfer accuracy minus scratch accuracy on the test split. */
    public double accuracyGain() {
        return transfer.test().accuracy() - scratch.test().accuracy();
    }

    @Override
    public void close() {
        classifier.close();
    }
}
