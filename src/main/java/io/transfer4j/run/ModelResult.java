package io.transfer4j.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.transfer4j.eval.Metrics;
import io.transfer4j.train.FitResult;

/**
 * One model of a run: its held-out metrics, how its training went, and its wall time.
 *
 * @param testPredictions the predicted class of each held-out text (for the bias audit); null when not kept
 */
public record ModelResult(String name, Metrics test, FitResult training, long trainMillis,
        @JsonIgnore int[] testPredictions) {
    public ModelResult(String name, Metrics test, FitResult training, long trainMillis) {
        this(name, test, training, trainMillis, null);
    }
}
