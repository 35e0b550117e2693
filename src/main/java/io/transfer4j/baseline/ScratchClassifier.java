package io.transfer4j.baseline;

import ai.djl.Model;
import io.transfer4j.data.LabelMap;
import io.transfer4j.train.Inference;
import io.transfer4j.model.TextClassifier;
import io.transfer4j.train.TokenRows;
import io.transfer4j.util.Progress;
import java.util.List;

/** The from-scratch baseline: hashed n-grams into a randomly initialised linear model. */
public final class ScratchClassifier implements TextClassifier {
    private final HashedNgrams ngrams;
    private final Model model;
    private final LabelMap labels;

    public ScratchClassifier(HashedNgrams ngrams, Model model, LabelMap labels) {
        this.ngrams = ngrams;
        this.model = model;
        this.labels = labels;
    }

    @Override
    public LabelMap labels() {
        return labels;
    }

    @Override
    public float[][] probabilities(List<String> texts, Progress progress) {
        return Inference.probabilities(model, new TokenRows(ngrams.ids(texts)));
    }

    @Override
    public void close() {
        model.close();
    }
}
