package io.transfer4j.model;

import io.transfer4j.train.Inference;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.TextDataset;
import io.transfer4j.eval.Metrics;
import io.transfer4j.util.Progress;
import java.util.List;

/** Anything that maps texts to class probabilities: a transferred model or the scratch baseline. */
public interface TextClassifier extends AutoCloseable {
    LabelMap labels();

    /** One row per text, one column per class in {@link #labels()} order. */
    float[][] probabilities(List<String> texts, Progress progress);

    default float[][] probabilities(List<String> texts) {
        return probabilities(texts, Progress.SILENT);
    }

    /** The most probable class index of each text. */
    default int[] predict(List<String> texts, Progress progress) {
        return Inference.argMax(probabilities(texts, progress));
    }

    default Metrics evaluate(TextDataset data, Progress progress) {
        return Metrics.compute(data.labelIndices(labels()), predict(data.texts(), progress), labels());
    }

    @Override
    void close();
}
