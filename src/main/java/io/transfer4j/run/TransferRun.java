package io.transfer4j.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.transfer4j.eval.BiasAudit;
import io.transfer4j.eval.PairedComparison;
import io.transfer4j.eval.SeedComparison;
import io.transfer4j.model.Classifier;
import java.util.List;

/**
 * The outcome of one transfer run of any modality: the transferred model and the scratch
 * baseline trained on the same split with the same budget, both scored on the same held-out rows.
 * Close it to free the model unless you keep it.
 *
 * @param modality "text" or "image": which plug-in produced the run
 * @param scratch null when the run trained a fresh network (pre-training), which is its own scratch model
 * @param features what the backbone was and what reading its features cost
 * @param tuning what a fine-tuning strategy trained; null for a linear probe on frozen features
 * @param bias per-group audit when the test rows carry groups, else null
 * @param guard transfer against scratch over several seeds, each its own split (null when not repeated)
 * @param paired transfer against scratch on this run's own test split (null without scratch)
 * @param choice how {@code --strategy auto} chose the transferred model (null when the strategy was given)
 * @param <M> the trained model's type
 * @param <C> the modality's configuration record
 */
public record TransferRun<M extends Classifier<?>, C extends RunSettings<C>>(String modality, C config,
        String trainDataSha256, int trainSize, int validationSize, int testSize, List<String> labels, ModelResult transfer,
        ModelResult scratch, Features features, Tuning tuning, List<String> warnings, BiasAudit bias, long totalMillis,
        @JsonIgnore M model, SeedComparison guard, PairedComparison paired, StrategyChoice choice) implements AutoCloseable {

    public TransferRun {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        labels = List.copyOf(labels);
    }

    /** This run with the comparison over the seeds it was repeated on. */
    public TransferRun<M, C> withGuard(SeedComparison g) {
        return new TransferRun<>(modality, config, trainDataSha256, trainSize, validationSize, testSize, labels, transfer, scratch,
                features, tuning, warnings, bias, totalMillis, model, g, paired, choice);
    }

    @JsonProperty("classes")
    public int classes() {
        return labels.size();
    }

    /** The text backbone's embedding statistics, or null for another modality. */
    @JsonIgnore
    public EmbeddingStats embedding() {
        return features instanceof EmbeddingStats e ? e : null;
    }

    /** Transfer accuracy minus scratch accuracy on the test split (NaN without scratch). */
    public double accuracyGain() {
        return scratch == null ? Double.NaN : transfer.test().accuracy() - scratch.test().accuracy();
    }

    /**
     * What a fine-tuning strategy trained.
     *
     * @param input how rows were fed (e.g. "texts cut to 128 tokens", "augmentation flip"); may be empty
     * @param adaptedWeights weight matrices given LoRA adapters
     * @param learningRate the peak learning rate that applied (the strategy's default when none was given)
     * @param tunedBackbone folder holding the exported tuned backbone until the bundle copies it (null: none)
     */
    public record Tuning(String strategy, long trainableParameters, long totalParameters, long millisPerEpoch,
            int adaptedWeights, String input, float learningRate, @JsonIgnore java.nio.file.Path tunedBackbone) {
        /** What a fine-tuning job trained, as every modality records it; {@code input} says how its rows were prepared. */
        public static Tuning of(io.transfer4j.train.FineTuning.Tuned<?> t, String input, java.nio.file.Path tunedBackbone) {
            return new Tuning(t.strategy().kind().id(), t.trainable(), t.total(), t.millisPerEpoch(), t.adapted(), input,
                    t.training().learningRate(), tunedBackbone);
        }
    }

    /**
     * Text feature extraction: texts encoded by the backbone vs. served by the cache.
     *
     * @param maxLength tokens per window as configured (0 = the backbone's maximum)
     */
    public record EmbeddingStats(String backbone, String backboneSha256, long encoded, long cacheHits, long truncated,
            long encodeMillis, long extractMillis, int maxLength) implements Features {
        @Override
        public String rows() {
            return "texts";
        }

        @Override
        public List<String> describe(TransferRun<?, ?> run) {
            if (run.tuning() != null) {
                return List.of(String.format(java.util.Locale.ROOT, "tuned encoder: %s, test texts encoded in %.1f s", backbone,
                        extractMillis / 1000.0));
            }
            return List.of(String.format(java.util.Locale.ROOT, "features: %s, %d texts encoded in %.1f s, %d from cache%s", backbone,
                    encoded, encodeMillis / 1000.0, cacheHits, truncated > 0 ? ", " + truncated + " truncated to "
                            + (maxLength > 0 ? String.valueOf(maxLength) : "the backbone's maximum") + " tokens" : ""));
        }
    }

    /** Image features: the backbone's network, its input shape, and how training images were augmented. */
    public record ImageFeatures(String backbone, String backboneSha256, String imageShape, String augmentation,
            long extractMillis) implements Features {
        @Override
        public String rows() {
            return "images";
        }

        @Override
        public List<String> describe(TransferRun<?, ?> run) {
            return List.of(String.format(java.util.Locale.ROOT, "images %s; backbone %s; augmentation %s%s", imageShape, backbone,
                    augmentation, run.tuning() == null ? String.format(java.util.Locale.ROOT, "; frozen features in %.1f s",
                            extractMillis / 1000.0) : ""));
        }
    }

    /** Audio features: the backbone, the rate and clip length every clip was fitted to, its windows, and the augmentation. */
    public record AudioFeatures(String backbone, String backboneSha256, int sampleRate, double clipSeconds, int windows,
            String augmentation, long extractMillis) implements Features {
        @Override
        public String rows() {
            return "clips";
        }

        @Override
        public List<String> describe(TransferRun<?, ?> run) {
            return List.of(String.format(java.util.Locale.ROOT,
                    "clips %.2f s at %d Hz (shorter ones centred in silence, longer ones cut to their loudest %.2f s), %d window(s) each; "
                            + "backbone %s; augmentation %s%s", clipSeconds, sampleRate, clipSeconds, windows, backbone, augmentation,
                    run.tuning() == null ? String.format(java.util.Locale.ROOT, "; frozen features in %.1f s", extractMillis / 1000.0) : ""));
        }
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
