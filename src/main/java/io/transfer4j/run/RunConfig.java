package io.transfer4j.run;

import io.transfer4j.backbone.Pooling;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.LearningRates;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;

/**
 * Everything that decides a text-transfer run, recorded in the bundle so the run can be repeated.
 * Immutable: change it through {@link #toBuilder()}, e.g.
 * {@code config.toBuilder().maxLength(128).maxWindows(1).build()}.
 *
 * @param maxLength tokens per encoder window; 0 means the backbone's own limit
 * @param maxWindows windows read per long text (1 = plain truncation)
 * @param pooling how the frozen encoder's token vectors are pooled (null: the backbone's own)
 * @param tuning epochs, batch, learning rate (0 = the strategy's default, {@link LearningRates}), optimizer and
 *     schedule of fine-tuning strategies
 */
public record RunConfig(String backbone, HeadType head, int hidden, int maxLength, int maxWindows, long seed,
        double validationFraction, double testFraction, float[] l2Grid, TrainConfig headTraining, boolean cache,
        Strategy strategy, TrainConfig tuning, Pooling pooling) implements RunSettings<RunConfig> {

    public RunConfig {
        strategy = strategy == null ? Strategy.of(Strategy.Kind.LINEAR_PROBE) : strategy;
        tuning = tuning == null ? DEFAULT_TUNING : tuning;
        headTraining = headTraining.withSeed(seed);
        tuning = tuning.withSeed(seed);
    }

    /** Fine-tuning defaults: 3 epochs of batch 16, AdamW with warm-up and linear decay, patience 2, the strategy's learning rate. */
    static final TrainConfig DEFAULT_TUNING = TrainConfig.builder().epochs(3).batchSize(16).learningRate(0).patience(2)
            .optimization(Optimization.FINE_TUNING).build();

    public static RunConfig defaults() {
        return new RunConfig(BackboneCatalogue.DEFAULT_ID, HeadType.LOGISTIC, 256, 0, TextEncoder.DEFAULT_MAX_WINDOWS, 42,
                0.15, 0.2, null, TrainConfig.builder().epochs(200).batchSize(64).learningRate(0.01f)
                        .patience(10).build(), true, null, null, null);
    }

    /** The defaults, to change: {@code RunConfig.builder().backbone("minilm-q").build()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy of a configuration, for changing several fields at once. */
    public static final class Builder extends SettingsBuilder<Builder, RunConfig> {
        private HeadType head;
        private int hidden;
        private int maxLength;
        private int maxWindows;
        private TrainConfig headTraining;
        private boolean cache;
        private TrainConfig tuning;
        private Pooling pooling;

        private Builder(RunConfig c) {
            super(c, c.l2Grid);
            head = c.head;
            hidden = c.hidden;
            maxLength = c.maxLength;
            maxWindows = c.maxWindows;
            headTraining = c.headTraining;
            cache = c.cache;
            tuning = c.tuning;
            pooling = c.pooling;
        }

        public Builder head(HeadType v) {
            head = v;
            return this;
        }

        /** Hidden units of an MLP head. */
        public Builder hidden(int v) {
            hidden = v;
            return this;
        }

        /** Tokens per encoder window; 0 means the backbone's own limit. */
        public Builder maxLength(int v) {
            maxLength = v;
            return this;
        }

        /** Windows of max-length tokens read per long text; 1 truncates to the first window. */
        public Builder maxWindows(int v) {
            maxWindows = v;
            return this;
        }

        public Builder headTraining(TrainConfig v) {
            headTraining = v;
            return this;
        }

        /** Whether frozen features go through the on-disk embedding cache. */
        public Builder cache(boolean v) {
            cache = v;
            return this;
        }

        /** Epochs, batch, learning rate, optimizer and schedule of fine-tuning strategies. */
        public Builder tuning(TrainConfig v) {
            tuning = v;
            return this;
        }

        /** How frozen token vectors become one text vector; null keeps the backbone's own (the catalogue's choice). */
        public Builder pooling(Pooling v) {
            pooling = v;
            return this;
        }

        @Override
        public RunConfig build() {
            return new RunConfig(backbone, head, hidden, maxLength, maxWindows, seed, validationFraction, testFraction, l2Grid,
                    headTraining, cache, strategy, tuning, pooling);
        }
    }
}
