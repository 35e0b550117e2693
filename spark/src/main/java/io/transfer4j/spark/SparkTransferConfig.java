package io.transfer4j.spark;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;

/**
 * What a Spark transfer run does: the backbone and how it reads texts, the columns, the head
 * trainer, the held-out share, the seed, and the size of the driver-side sample on which the
 * scratch baseline and the negative-transfer check run. Immutable; {@link #builder()} to change.
 *
 * @param sampleRows rows (train and test together) of the negative-transfer check's sample
 * @param seeds seeds the check repeats over (the guard's confidence interval)
 */
public record SparkTransferConfig(String backbone, String textColumn, String labelColumn, int maxLength, int maxWindows,
        int batchSize, HeadTrainer trainer, double testFraction, long seed, int sampleRows, int seeds, int maxCollected,
        @com.fasterxml.jackson.annotation.JsonIgnore Progress progress) {

    public SparkTransferConfig {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UserException("the test fraction must lie strictly between 0 and 1; got " + testFraction);
        }
        if (sampleRows < 0) {
            throw new UserException("the sample size must be 0 (no check) or positive; got " + sampleRows);
        }
        if (seeds < 1) {
            throw new UserException("seeds must be at least 1; got " + seeds);
        }
        progress = progress == null ? Progress.SILENT : progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static final class Builder {
        private String backbone = BackboneCatalogue.DEFAULT_ID;
        private String textColumn = "text";
        private String labelColumn = "label";
        private int maxLength;
        private int maxWindows = TextEncoder.DEFAULT_MAX_WINDOWS;
        private int batchSize = 32;
        private HeadTrainer trainer = HeadTrainer.TRANSFER4J;
        private double testFraction = 0.2;
        private long seed = 42;
        private int sampleRows = 5_000;
        private int seeds = 3;
        private int maxCollected = 1_000_000;
        private Progress progress = Progress.SILENT;

        Builder() {}

        Builder(SparkTransferConfig c) {
            backbone = c.backbone;
            textColumn = c.textColumn;
            labelColumn = c.labelColumn;
            maxLength = c.maxLength;
            maxWindows = c.maxWindows;
            batchSize = c.batchSize;
            trainer = c.trainer;
            testFraction = c.testFraction;
            seed = c.seed;
            sampleRows = c.sampleRows;
            seeds = c.seeds;
            maxCollected = c.maxCollected;
            progress = c.progress;
        }

        public Builder backbone(String v) {
            backbone = v;
            return this;
        }

        public Builder textColumn(String v) {
            textColumn = v;
            return this;
        }

        public Builder labelColumn(String v) {
            labelColumn = v;
            return this;
        }

        /** Tokens per window; 0 (the default) for the backbone's limit, as {@code train}. */
        public Builder maxLength(int v) {
            maxLength = v;
            return this;
        }

        public Builder maxWindows(int v) {
            maxWindows = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder trainer(HeadTrainer v) {
            trainer = v;
            return this;
        }

        public Builder testFraction(double v) {
            testFraction = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder sampleRows(int v) {
            sampleRows = v;
            return this;
        }

        public Builder seeds(int v) {
            seeds = v;
            return this;
        }

        public Builder maxCollected(int v) {
            maxCollected = v;
            return this;
        }

        public Builder progress(Progress v) {
            progress = v;
            return this;
        }

        public SparkTransferConfig build() {
            return new SparkTransferConfig(backbone, textColumn, labelColumn, maxLength, maxWindows, batchSize, trainer, testFraction,
                    seed, sampleRows, seeds, maxCollected, progress);
        }
    }
}
