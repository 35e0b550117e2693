package io.transfer4j.run;

import io.transfer4j.TextTransfer;
import io.transfer4j.Transfer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.transfer4j.eval.BiasAudit;
import io.transfer4j.model.ProbeClassifier;
import java.util.List;

/**
 * The outcome of {@link TextTransfer#run}: the transferred model, the scratch baseline trained on
 * the same split, and what the backbone's feature extraction cost. Close it to free the model
 * unless you keep the classifier. {@code bias} is the per-group audit when the test texts carry
 * groups, else null. {@code guard} compares transfer with scratch over several seeds (null when
 * the run was not repeated); {@code paired} compares them on this run's own test split.
 */
public record TransferRun(RunConfig config, String trainDataSha256, int trainSize, int validationSize, int testSize,
        int classes, ModelResult transfer, ModelResult scratch, EmbeddingStats embedding, Tuning tuning, List<String> warnings,
        BiasAudit bias, long totalMillis,
        @JsonIgnore ProbeClassifier classifier, io.transfer4j.eval.SeedComparison guard,
        io.transfer4j.eval.PairedComparison paired) implements AutoCloseable {

    /** A run on one split: its paired comparison is computed from the two models' test predictions, no guard yet. */
    public TransferRun(RunConfig config, String trainDataSha256, int trainSize, int validationSize, int testSize, int classes,
            ModelResult transfer, ModelResult scratch, EmbeddingStats embedding, Tuning tuning, List<String> warnings,
            BiasAudit bias, long totalMillis, ProbeClassifier classifier) {
        this(config, trainDataSha256, trainSize, validationSize, testSize, classes, transfer, scratch, embedding, tuning, warnings,
                bias, totalMillis, classifier, null, null);
    }

    /** This run with the comparison over seeds it was repeated on. */
    public TransferRun withGuard(io.transfer4j.eval.SeedComparison g) {
        return new TransferRun(config, trainDataSha256, trainSize, validationSize, testSize, classes, transfer, scratch, embedding,
                tuning, warnings, bias, totalMillis, classifier, g, paired);
    }

    /** This run with the paired test of its two models on its test split. */
    public TransferRun withPaired(io.transfer4j.eval.PairedComparison p) {
        return new TransferRun(config, trainDataSha256, trainSize, validationSize, testSize, classes, transfer, scratch, embedding,
                tuning, warnings, bias, totalMillis, classifier, guard, p);
    }

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
