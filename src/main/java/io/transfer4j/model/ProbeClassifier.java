package io.transfer4j.model;

import io.transfer4j.train.HeadType;
import io.transfer4j.train.Standardizer;

import ai.djl.Model;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.data.LabelMap;
import io.transfer4j.util.Progress;
import java.util.List;

/**
 * A frozen pre-trained backbone with a trained head: texts are embedded (through the cache),
 * standardised with the training statistics and classified by the head.
 */
public final class ProbeClassifier implements TextClassifier {
    private final FeatureExtractor extractor;
    private final HeadType headType;
    private final int hidden;
    private final FeatureHead top;

    public ProbeClassifier(FeatureExtractor extractor, Standardizer standardizer, HeadType headType, int hidden,
            Model head, LabelMap labels) {
        this(extractor, standardizer, headType, hidden, head, labels, null);
    }

    /** {@code owned} (may be null) is closed with the classifier: the temporary folder of a tuned encoder. */
    public ProbeClassifier(FeatureExtractor extractor, Standardizer standardizer, HeadType headType, int hidden,
            Model head, LabelMap labels, io.transfer4j.util.WorkDirectory owned) {
        this.extractor = extractor;
        this.headType = headType;
        this.hidden = hidden;
        this.top = new FeatureHead(standardizer, head, labels, owned);
    }

    @Override
    public LabelMap labels() {
        return top.labels();
    }

    public FeatureExtractor extractor() {
        return extractor;
    }

    public Standardizer standardizer() {
        return top.standardizer();
    }

    public HeadType headType() {
        return headType;
    }

    public int hidden() {
        return hidden;
    }

    public Model head() {
        return top.head();
    }

    @Override
    public float[][] probabilities(List<String> texts, Progress progress) {
        return probabilitiesOfFeatures(extractor.extract(texts, progress));
    }

    /** For callers that already hold this backbone's features (e.g. a run that embedded once). */
    public float[][] probabilitiesOfFeatures(float[][] features) {
        return top.probabilities(features);
    }

    @Override
    public void close() {
        try {
            extractor.close();
        } finally {
            top.close(); // the head, then the tuned encoder's folder, once the session reading it is closed
        }
    }
}
