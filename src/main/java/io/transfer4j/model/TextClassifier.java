package io.transfer4j.model;

import io.transfer4j.train.Inference;

import io.transfer4j.data.TextDataset;
import io.transfer4j.util.Progress;
import java.util.List;

/** Anything that maps texts to class probabilities: a transferred model or the scratch baseline. */
public interface TextClassifier extends Classifier<TextDataset> {

    /** One row per text, one column per class in {@link #labels()} order. */
    float[][] probabilities(List<String> texts, Progress progress);

    @Override
    default float[][] probabilities(TextDataset data, Progress progress) {
        return probabilities(data.texts(), progress);
    }

    default float[][] probabilities(List<String> texts) {
        return probabilities(texts, Progress.SILENT);
    }

    /** The most probable class index of each text. */
    default int[] predict(List<String> texts, Progress progress) {
        return Inference.argMax(probabilities(texts, progress));
    }

}
