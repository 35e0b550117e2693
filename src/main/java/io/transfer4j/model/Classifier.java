package io.transfer4j.model;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.eval.Metrics;
import io.transfer4j.train.Inference;
import io.transfer4j.util.Progress;

/**
 * A trained model of any modality as the shared code uses it: class probabilities for rows of
 * its data type, one prediction path ({@link Inference#argMax}) and one way to score.
 *
 * @param <D> the rows it classifies (texts, images)
 */
public interface Classifier<D extends Labelled<D>> extends AutoCloseable {
    LabelMap labels();

    /** One row per input, one column per class in {@link #labels()} order. */
    float[][] probabilities(D data, Progress progress);

    /** The most probable class index of each row. */
    default int[] predict(D data, Progress progress) {
        return Inference.argMax(probabilities(data, progress));
    }

    default Metrics evaluate(D data, Progress progress) {
        return Metrics.compute(data.labelIndices(labels()), predict(data, progress), labels());
    }

    /** Frees the model's native memory and the temporary files it owns. */
    @Override
    void close();
}
