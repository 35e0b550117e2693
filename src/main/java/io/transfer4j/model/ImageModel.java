package io.transfer4j.model;

import io.transfer4j.train.Standardizer;

import ai.djl.Model;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.backbone.ImageEncoder;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.LabelMap;
import io.transfer4j.util.Progress;

/**
 * A trained image classifier as it is used and saved: the backbone's feature graph on ONNX
 * Runtime (frozen, or the tuned copy after fine-tuning), the standardisation of its features and
 * a linear head.
 */
public final class ImageModel implements Classifier<ImageDataset> {
    private final ImageBackbone backbone;
    private final FeatureHead top;

    public ImageModel(ImageBackbone backbone, Standardizer standardizer, Model head, LabelMap labels) {
        this(backbone, standardizer, head, labels, null);
    }

    /** {@code owned} (may be null) is closed with the model: the temporary folder of a tuned feature graph. */
    public ImageModel(ImageBackbone backbone, Standardizer standardizer, Model head, LabelMap labels, io.transfer4j.util.WorkDirectory owned) {
        this.backbone = backbone;
        this.top = new FeatureHead(standardizer, head, labels, owned);
    }

    public ImageBackbone backbone() {
        return backbone;
    }

    public Standardizer standardizer() {
        return top.standardizer();
    }

    public Model head() {
        return top.head();
    }

    @Override
    public LabelMap labels() {
        return top.labels();
    }

    @Override
    public float[][] probabilities(ImageDataset images, Progress progress) {
        try (ImageEncoder enc = ImageEncoder.open(backbone)) {
            return probabilitiesOfFeatures(enc.features(images, progress));
        }
    }

    public float[][] probabilitiesOfFeatures(float[][] features) {
        return top.probabilities(features);
    }

    @Override
    public void close() {
        top.close();
    }
}
