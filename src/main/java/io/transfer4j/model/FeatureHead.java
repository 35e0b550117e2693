package io.transfer4j.model;

import ai.djl.Model;
import io.transfer4j.data.LabelMap;
import io.transfer4j.train.DenseRows;
import io.transfer4j.train.Inference;
import io.transfer4j.train.Standardizer;
import io.transfer4j.util.WorkDirectory;

/**
 * What every trained classifier puts on top of its backbone's features, whatever the modality:
 * the standardisation fitted on the training features, the trained head, the labels, and the
 * temporary folder of a tuned backbone it owns (null when none).
 */
record FeatureHead(Standardizer standardizer, Model head, LabelMap labels, WorkDirectory owned) implements AutoCloseable {

    float[][] probabilities(float[][] features) {
        return Inference.probabilities(head, new DenseRows(standardizer.apply(features)));
    }

    /** Frees the head's native memory and removes the owned folder, the folder even when the head fails to close. */
    @Override
    public void close() {
        try {
            head.close();
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }
}
