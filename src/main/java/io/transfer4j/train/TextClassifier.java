package io.transfer4j.train;

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

    default Metrics evaluate(TextDataset data, Progress progress) {
        int[] truth = data.labelIndices(labels());
        float[][] p = probabilities(data.texts(), progress);
        int[] pred = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            pred[i] = Inference.argMax(p[i]);
        }
        return Metrics.compute(truth, pred, labels());
    }

    @Override
    void close();
}
