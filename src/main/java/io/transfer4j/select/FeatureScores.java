package io.transfer4j.select;

import io.transfer4j.data.LabelMap;
import io.transfer4j.eval.Metrics;
import io.transfer4j.train.Inference;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.util.Progress;
import java.util.List;

/**
 * Scores one candidate's frozen features against labels, whatever the modality that produced
 * them: LogME, the shrinkage H-score, leave-one-out 10-NN accuracy and, given test features, the
 * test accuracy of the product's own linear probe (standardised, L2 chosen by 5-fold
 * cross-validation on the ranked rows), the ground truth the scores try to predict.
 */
public final class FeatureScores {
    private FeatureScores() {}

    /**
     * @param labels one per row of {@code features}, as written
     * @param testFeatures null to skip the probe
     * @param extractMillis what computing the features took
     */
    public static BackboneScore score(String name, float[][] features, List<String> labels, LabelMap map, float[][] testFeatures,
            int[] testY, long seed, long extractMillis) {
        int[] y = indices(labels, map);
        long t1 = System.nanoTime();
        double logMe = LogMe.score(features, y);
        double h = HScore.shrinkage(features, y);
        double knn = KnnProxy.accuracy(features, y, 10);
        long scoreMillis = (System.nanoTime() - t1) / 1_000_000;
        double probe = testFeatures == null ? Double.NaN : probeAccuracy(features, labels, map, testFeatures, testY, seed);
        return new BackboneScore(name, features.length, features[0].length, logMe, h, knn, probe, extractMillis, scoreMillis);
    }

    static double probeAccuracy(float[][] features, List<String> labels, LabelMap map, float[][] testF, int[] testY, long seed) {
        try (LinearProbe.Fitted fit = LinearProbe.logistic(seed).fit("probe", map.size(), features, indices(labels, map), Progress.SILENT)) {
            return Metrics.compute(testY, Inference.argMax(fit.probabilities(testF)), map).accuracy();
        }
    }

    private static int[] indices(List<String> labels, LabelMap map) {
        var index = map.asIndex();
        return labels.stream().mapToInt(index::get).toArray();
    }
}
