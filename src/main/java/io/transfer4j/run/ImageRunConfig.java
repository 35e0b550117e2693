package io.transfer4j.run;

import io.transfer4j.data.Augmentation;
import io.transfer4j.train.LearningRates;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;

/**
 * Everything that decides an image-transfer run, recorded in its bundle. Immutable: change it
 * through {@link #toBuilder()}.
 *
 * @param backbone a built-in architecture (smallcnn, resnet18, resnet34, mobilenetv2), a bundle
 *     directory, or an .onnx image model
 * @param featureLayer for an .onnx model: the tensor features are taken from (null: what its
 *     classifier head reads)
 * @param channels 1 or 3; 0 = the backbone's, else the data's (IDX: 1, image files: 3)
 * @param imageSize "32" or "48x192"; null = the backbone's, else the data's own: IDX images' size, or the first image file's shorter side (at most 64)
 * @param mean per-channel input mean on [0, 1] pixels; null = the backbone's (imported: 0.5;
 *     built-in: measured on the training images)
 * @param epochs fine-tuning epochs; 0 = chosen from the data size (about {@link #UPDATES} updates, 8 to 100 epochs)
 * @param learningRate 0 = the strategy's default for CNNs ({@link LearningRates#cnn})
 * @param scratch whether to train the from-scratch baseline (a fresh {@code scratchArch}) on the
 *     same split with the same budget
 * @param scratchArch the baseline's architecture; null = the backbone's own (see {@link #scratchArchFor})
 */
public record ImageRunConfig(String backbone, String featureLayer, int channels, String imageSize, float[] mean, float[] std,
        Strategy strategy, int epochs, int batchSize, float learningRate, Optimization optimization, int patience,
        TrainConfig.Selection selectBy, Augmentation augmentation, long seed, double validationFraction, double testFraction,
        float[] l2Grid, boolean scratch, String scratchArch) implements RunSettings<ImageRunConfig> {

    /** Updates an automatic epoch count aims at: enough for a small CNN to converge on a few thousand images. */
    public static final int UPDATES = 300;

    public ImageRunConfig {
        strategy = strategy == null ? Strategy.of(Strategy.Kind.AUTO) : strategy;
        optimization = optimization == null ? Optimization.FINE_TUNING : optimization;
        selectBy = selectBy == null ? TrainConfig.Selection.ACCURACY : selectBy;
        augmentation = augmentation == null ? Augmentation.NONE : augmentation;
    }

    public static ImageRunConfig defaults() {
        return new ImageRunConfig("smallcnn", null, 0, null, null, null, Strategy.of(Strategy.Kind.AUTO), 0, 64, 0,
                Optimization.FINE_TUNING, 0, TrainConfig.Selection.ACCURACY, Augmentation.NONE, 42, 0.15, 0.2,
                null, true, null);
    }

    /** The defaults, to change: {@code ImageRunConfig.builder().backbone("pre").epochs(5).build()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Architecture of the scratch baseline: the one asked for, else the backbone's own, else the small CNN. */
    public String scratchArchFor(io.transfer4j.backbone.ImageBackbone backbone) {
        return scratchArch != null ? scratchArch : backbone.arch() != null ? backbone.arch() : "smallcnn";
    }

    /**
     * The training settings for {@code rows} training images under {@code s} (fromScratch: fresh
     * weights), every unset control resolved here: epochs from the data size, the learning rate by
     * {@link LearningRates#cnn}, patience a third of the epochs.
     */
    public TrainConfig training(Strategy s, int rows, boolean fromScratch) {
        return cnnTraining(s, rows, fromScratch, epochs, batchSize, learningRate, patience, seed, optimization, selectBy);
    }

    /**
     * A CNN's training settings with every unset (0) control resolved from the data size, written
     * once for every modality that fine-tunes a convolutional network (images, audio).
     */
    static TrainConfig cnnTraining(Strategy s, int rows, boolean fromScratch, int epochs, int batchSize, float learningRate,
            int patience, long seed, Optimization optimization, TrainConfig.Selection selectBy) {
        int batch = Math.max(2, Math.min(batchSize, rows));
        int steps = (rows + batch - 1) / batch;
        int e = epochs > 0 ? epochs : Math.max(8, Math.min(100, (UPDATES + steps - 1) / steps));
        float lr = learningRate > 0 ? learningRate : LearningRates.cnn(s, fromScratch);
        int p = patience > 0 ? patience : Math.max(3, e / 3);
        return TrainConfig.builder().epochs(e).batchSize(batch).learningRate(lr).patience(p).seed(seed).optimization(optimization)
                .selectBy(selectBy).build();
    }

    /** A mutable copy of a configuration, for changing several fields at once. */
    public static final class Builder extends SettingsBuilder<Builder, ImageRunConfig> {
        private String featureLayer;
        private int channels;
        private String imageSize;
        private float[] mean;
        private float[] std;
        private int epochs;
        private int batchSize;
        private float learningRate;
        private Optimization optimization;
        private int patience;
        private TrainConfig.Selection selectBy;
        private Augmentation augmentation;
        private boolean scratch;
        private String scratchArch;

        private Builder(ImageRunConfig c) {
            super(c, c.l2Grid);
            featureLayer = c.featureLayer;
            channels = c.channels;
            imageSize = c.imageSize;
            mean = c.mean;
            std = c.std;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            optimization = c.optimization;
            patience = c.patience;
            selectBy = c.selectBy;
            augmentation = c.augmentation;
            scratch = c.scratch;
            scratchArch = c.scratchArch;
        }

        /** For an .onnx model: the tensor features are taken from (null: what its classifier head reads). */
        public Builder featureLayer(String v) {
            featureLayer = v;
            return this;
        }

        /** 1 or 3; 0 = the backbone's, else the data's. */
        public Builder channels(int v) {
            channels = v;
            return this;
        }

        /** "32" or "48x192"; null = the backbone's, else the data's own. */
        public Builder imageSize(String v) {
            imageSize = v;
            return this;
        }

        /** Per-channel input normalisation on [0, 1] pixels; null = the backbone's (or measured). */
        public Builder normalisation(float[] mean, float[] std) {
            this.mean = mean;
            this.std = std;
            return this;
        }

        /** 0 = chosen from the data size. */
        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** 0 = the strategy's default ({@link LearningRates#cnn}). */
        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }

        public Builder optimization(Optimization v) {
            optimization = v;
            return this;
        }

        /** 0 = a third of the epochs, at least 3. */
        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder selectBy(TrainConfig.Selection v) {
            selectBy = v;
            return this;
        }

        /** Training-batch augmentations. */
        public Builder augmentation(Augmentation v) {
            augmentation = v;
            return this;
        }

        /** Whether to train the from-scratch baseline. */
        public Builder scratch(boolean v) {
            scratch = v;
            return this;
        }

        /** The baseline's architecture; null = the backbone's own. */
        public Builder scratchArch(String v) {
            scratchArch = v;
            return this;
        }

        @Override
        public ImageRunConfig build() {
            return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, strategy, epochs, batchSize, learningRate,
                    optimization, patience, selectBy, augmentation, seed, validationFraction, testFraction, l2Grid, scratch, scratchArch);
        }
    }
}
