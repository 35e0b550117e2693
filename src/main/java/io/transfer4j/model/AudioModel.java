package io.transfer4j.model;

import ai.djl.Model;
import io.transfer4j.backbone.AudioBackbone;
import io.transfer4j.backbone.AudioEncoder;
import io.transfer4j.data.AudioDataset;
import io.transfer4j.data.LabelMap;
import io.transfer4j.train.Standardizer;
import io.transfer4j.util.Progress;
import io.transfer4j.util.WorkDirectory;

/**
 * A trained audio classifier as it is used and saved: the backbone's front end and encoder on
 * ONNX Runtime (frozen, or the tuned encoder after fine-tuning), the clip length every clip is
 * fitted to, the standardisation of the pooled features and a linear head.
 */
public final class AudioModel implements Classifier<AudioDataset> {
    private final AudioBackbone backbone;
    private final int clipSamples;
    private final FeatureHead top;

    /** {@code owned} (may be null) is closed with the model: the temporary folder of a tuned encoder. */
    public AudioModel(AudioBackbone backbone, int clipSamples, Standardizer standardizer, Model head, LabelMap labels, WorkDirectory owned) {
        this.backbone = backbone;
        this.clipSamples = clipSamples;
        this.top = new FeatureHead(standardizer, head, labels, owned);
    }

    public AudioBackbone backbone() {
        return backbone;
    }

    public int clipSamples() {
        return clipSamples;
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
    public float[][] probabilities(AudioDataset clips, Progress progress) {
        try (AudioEncoder enc = AudioEncoder.open(backbone)) {
            return probabilitiesOfFeatures(enc.features(clips, clipSamples, progress));
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
