package io.transfer4j.selfsup;

import io.transfer4j.data.Augmentation;
import io.transfer4j.util.UserException;

/**
 * How a SimCLR pre-training run trains, immutable; {@link #toBuilder} to change it.
 *
 * @param temperature NT-Xent's softmax temperature over cosine similarities (SimCLR: 0.5 at small batches)
 * @param projectionDim width of the projection head's output, where the loss is taken (SimCLR: 128)
 * @param projectionHidden width of its hidden layer; 0 = the backbone's feature width (SimCLR's choice)
 * @param views the augmentation each of an image's two views gets, drawn independently
 * @param epochs passes over the unlabelled images; the epoch of lowest validation loss is kept
 * @param batchSize images per batch (each gives two views, so the loss compares 2·batch rows)
 * @param learningRate Adam's peak rate, warmed up over 5% of the updates then cosine-decayed
 * @param validation images held out to validate each epoch on (at most a tenth of the data)
 */
public record ContrastiveConfig(float temperature, int projectionDim, int projectionHidden, Augmentation views, int epochs, int batchSize,
        float learningRate, int validation) {
    /**
     * SimCLR's recipe scaled to small images on a CPU: random resized crops down to a quarter of
     * the area, flips, small rotations and colour jitter (the paper's strongest pair, crop and
     * colour, with rotation for greyscale images that have no hue to jitter); batch 256.
     */
    public static final ContrastiveConfig DEFAULT = new ContrastiveConfig(0.5f, 128, 0,
            Augmentation.parse("crop=0.25,flip,rotate=10,jitter=0.4"), 20, 256, 1e-3f, 2000);

    public ContrastiveConfig {
        if (!(temperature > 0 && temperature <= 10) || projectionDim < 1 || projectionHidden < 0 || epochs < 1 || batchSize < 2
                || !(learningRate > 0) || validation < 2) {
            throw new UserException("self-supervised settings out of range: temperature " + temperature + " (0..10], projection "
                    + projectionDim + " (>= 1), hidden " + projectionHidden + " (>= 0), epochs " + epochs + " (>= 1), batch " + batchSize
                    + " (>= 2), learning rate " + learningRate + " (> 0), validation images " + validation + " (>= 2)");
        }
        if (!views.any()) {
            throw new UserException("contrastive pre-training needs augmented views (two copies of an image would be trivially alike); "
                    + "give --augment, e.g. crop=0.25,flip,jitter=0.4");
        }
        if (views.mixes()) {
            throw new UserException("contrastive views cannot mix images (mixup, cutmix): a view must show one image");
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A mutable copy, for changing several settings at once. */
    public static final class Builder {
        private float temperature;
        private int projectionDim;
        private int projectionHidden;
        private Augmentation views;
        private int epochs;
        private int batchSize;
        private float learningRate;
        private int validation;

        private Builder(ContrastiveConfig c) {
            temperature = c.temperature;
            projectionDim = c.projectionDim;
            projectionHidden = c.projectionHidden;
            views = c.views;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            validation = c.validation;
        }

        public Builder temperature(float v) {
            temperature = v;
            return this;
        }

        public Builder projectionDim(int v) {
            projectionDim = v;
            return this;
        }

        public Builder projectionHidden(int v) {
            projectionHidden = v;
            return this;
        }

        public Builder views(Augmentation v) {
            views = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }

        public Builder validation(int v) {
            validation = v;
            return this;
        }

        public ContrastiveConfig build() {
            return new ContrastiveConfig(temperature, projectionDim, projectionHidden, views, epochs, batchSize, learningRate, validation);
        }
    }
}
