package io.transfer4j.select;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A cheap check, before a head trains, that frozen features carry the labels at all. */
public final class Separability {
    private Separability() {}

    /**
     * Before the head trains: if the frozen features' leave-one-out 10-NN accuracy barely beats
     * always predicting the majority class, the backbone transfers poorly to these labels.
     */
    public static List<String> warning(String backbone, float[][] features, int[] y, String rows) {
        if (features.length < 20 || features.length > 20_000) {
            return List.of(); // too few to judge; too many to check in seconds
        }
        double knn = KnnProxy.accuracy(features, y, 10);
        int[] counts = new int[Arrays.stream(y).max().orElse(0) + 1];
        for (int v : y) {
            counts[v]++;
        }
        double majority = (double) Arrays.stream(counts).max().orElse(0) / y.length;
        if (knn >= majority + 0.05) {
            return List.of();
        }
        return List.of(String.format(Locale.ROOT, "low transferability: %s's frozen features give a 10-NN accuracy of %.1f%% on the "
                + "training " + rows + ", against %.1f%% for always predicting the majority class; expect negative transfer, and try "
                + "another backbone (./transfer4j rank / advise) or a fine-tuning strategy", backbone, 100 * knn, 100 * majority));
    }

}
