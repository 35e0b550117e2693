package io.transfer4j.run;

import io.transfer4j.data.Augmentation;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;

/**
 * Everything that decides an image-transfer run, recorded in its bundle.
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
 * @param learningRate 0 = the strategy's default for CNNs (1e-3 from scratch or for partial, bitfit and lora,
 *     5e-4 for full fine-tuning)
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
                new float[] {1e-3f, 1e-2f, 1e-1f, 1f}, true, null);
    }

    @Override
    public ImageRunConfig withBackbone(String v) {
        return new ImageRunConfig(v, featureLayer, channels, imageSize, mean, std, strategy, epochs, batchSize, learningRate,
                optimization, patience, selectBy, augmentation, seed, validationFraction, testFraction, l2Grid, scratch, scratchArch);
    }

    @Override
    public ImageRunConfig withStrategy(Strategy v) {
        return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, v, epochs, batchSize, learningRate,
                optimization, patience, selectBy, augmentation, seed, validationFraction, testFraction, l2Grid, scratch, scratchArch);
    }

    @Override
    public ImageRunConfig withSeed(long v) {
        return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, strategy, epochs, batchSize, learningRate,
                optimization, patience, selectBy, augmentation, v, validationFraction, testFraction, l2Grid, scratch, scratchArch);
    }

    public ImageRunConfig withAugmentation(Augmentation v) {
        return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, strategy, epochs, batchSize, learningRate,
                optimization, patience, selectBy, v, seed, validationFraction, testFraction, l2Grid, scratch, scratchArch);
    }

    public ImageRunConfig withScratch(boolean v) {
        return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, strategy, epochs, batchSize, learningRate,
                optimization, patience, selectBy, augmentation, seed, validationFraction, testFraction, l2Grid, v, scratchArch);
    }

    public ImageRunConfig withEpochs(int v) {
        return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, strategy, v, batchSize, learningRate,
                optimization, patience, selectBy, augmentation, seed, validationFraction, testFraction, l2Grid, scratch, scratchArch);
    }

    public ImageRunConfig withInput(int channels, String imageSize, String featureLayer, float[] mean, float[] std) {
        return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, strategy, epochs, batchSize, learningRate,
                optimization, patience, selectBy, augmentation, seed, validationFraction, testFraction, l2Grid, scratch, scratchArch);
    }

    public ImageRunConfig withTraining(int batch, float lr, Optimization o, int patience, TrainConfig.Selection sel) {
        return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, strategy, epochs, batch, lr,
                o, patience, sel, augmentation, seed, validationFraction, testFraction, l2Grid, scratch, scratchArch);
    }

    public ImageRunConfig withSplit(double validation, double test) {
        return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, strategy, epochs, batchSize, learningRate,
                optimization, patience, selectBy, augmentation, seed, validation, test, l2Grid, scratch, scratchArch);
    }

    public ImageRunConfig withScratchArch(String v) {
        return new ImageRunConfig(backbone, featureLayer, channels, imageSize, mean, std, strategy, epochs, batchSize, learningRate,
                optimization, patience, selectBy, augmentation, seed, validationFraction, testFraction, l2Grid, scratch, v);
    }

    /** Architecture of the scratch baseline: the one asked for, else the backbone's own, else the small CNN. */
    public String scratchArchFor(io.transfer4j.backbone.ImageBackbone backbone) {
        return scratchArch != null ? scratchArch : backbone.arch() != null ? backbone.arch() : "smallcnn";
    }

    /** The training settings for {@code rows} training images under {@code s} (fromScratch: fresh weights). */
    public TrainConfig training(Strategy s, int rows, boolean fromScratch) {
        int batch = Math.max(2, Math.min(batchSize, rows));
        int steps = (rows + batch - 1) / batch;
        int e = epochs > 0 ? epochs : Math.max(8, Math.min(100, (UPDATES + steps - 1) / steps));
        float lr = learningRate > 0 ? learningRate
                : fromScratch || s.kind() == Strategy.Kind.PARTIAL || s.kind() == Strategy.Kind.BITFIT || s.kind() == Strategy.Kind.LORA
                        ? 1e-3f : 5e-4f;
        int p = patience > 0 ? patience : Math.max(3, e / 3);
        return new TrainConfig(e, batch, lr, 0, p, seed, optimization, selectBy);
    }
}
