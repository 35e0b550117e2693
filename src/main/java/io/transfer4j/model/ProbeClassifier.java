package io.transfer4j.model;

import io.transfer4j.train.DenseRows;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.Inference;
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
    private final Standardizer standardizer;
    private final HeadType headType;
    private final int hidden;
    private final Model head;
    private final LabelMap labels;
    private final io.transfer4j.util.WorkDirectory owned;

    public ProbeClassifier(FeatureExtractor extractor, Standardizer standardizer, HeadType headType, int hidden,
            Model head, LabelMap labels) {
        this(extractor, standardizer, headType, hidden, head, labels, null);
    }

    /** {@code owned} (may be null) is closed with the classifier: the temporary folder of a tuned encoder. */
    public ProbeClassifier(FeatureExtractor extractor, Standardizer standardizer, HeadType headType, int hidden,
            Model head, LabelMap labels, io.transfer4j.util.WorkDirectory owned) {
        this.owned = owned;
        this.extractor = extractor;
        this.standardizer = standardizer;
        this.headType = headType;
        this.hidden = hidden;
        this.head = head;
        this.labels = labels;
    }

    @Override
    public LabelMap labels() {
        return labels;
    }

    public FeatureExtractor extractor() {
        return extractor;
    }

    public Standardizer standardizer() {
        return standardizer;
    }

    public HeadType headType() {
        return headType;
    }

    public int hidden() {
        return hidden;
    }

    public Model head() {
        return head;
    }

    @Override
    public float[][] probabilities(List<String> texts, Progress progress) {
        return probabilitiesOfFeatures(extractor.extract(texts, progress));
    }

    /** For callers that already hold this backbone's features (e.g. a run that embedded once). */
    public float[][] probabilitiesOfFeatures(float[][] features) {
        return Inference.probabilities(head, new DenseRows(standardizer.apply(features)));
    }

    @Override
    public void close() {
        try {
            head.close();
            extractor.close();
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }
}
