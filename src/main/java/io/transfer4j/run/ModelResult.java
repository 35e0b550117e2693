package io.transfer4j.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.transfer4j.eval.Metrics;
import io.transfer4j.train.FitResult;

/**
 * One model of a run: its held-out metrics, how its training went, and its wall time.
 *
 * @param testPredictions the predicted class of each held-out row (for the bias audit); null when not kept
 * @param misclassified the first {@link #MISCLASSIFIED_KEPT} held-out rows it got wrong, by their name (a file, a text's start)
 */
public record ModelResult(String name, Metrics test, FitResult training, long trainMillis,
        @JsonIgnore int[] testPredictions, java.util.List<Misclassified> misclassified) {
    public static final int MISCLASSIFIED_KEPT = 50;

    /** One held-out row the model got wrong. */
    public record Misclassified(String row, String label, String predicted) {}

    public ModelResult {
        misclassified = misclassified == null ? java.util.List.of() : java.util.List.copyOf(misclassified);
    }

    public ModelResult(String name, Metrics test, FitResult training, long trainMillis, int[] testPredictions) {
        this(name, test, training, trainMillis, testPredictions, null);
    }

    public ModelResult(String name, Metrics test, FitResult training, long trainMillis) {
        this(name, test, training, trainMillis, null, null);
    }

    /** The first {@link #MISCLASSIFIED_KEPT} rows where {@code pred} differs from {@code truth}, named by {@code rowName}. */
    public static java.util.List<Misclassified> misclassified(int[] truth, int[] pred, io.transfer4j.data.LabelMap labels,
            java.util.function.IntFunction<String> rowName) {
        java.util.List<Misclassified> out = new java.util.ArrayList<>();
        for (int i = 0; i < truth.length && out.size() < MISCLASSIFIED_KEPT; i++) {
            if (truth[i] != pred[i]) {
                out.add(new Misclassified(rowName.apply(i), labels.name(truth[i]), labels.name(pred[i])));
            }
        }
        return out;
    }
}
