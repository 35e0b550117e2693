package io.transfer4j.eval;

import io.transfer4j.data.LabelMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Classification quality on one labelled set.
 *
 * @param accuracyLow95 lower end of the Wilson 95% interval for accuracy
 * @param confusion rows are true classes, columns predicted classes, in label-map order
 */
public record Metrics(int n, double accuracy, double accuracyLow95, double accuracyHigh95, double macroF1,
        List<ClassMetrics> perClass, List<String> labels, int[][] confusion) {

    public static Metrics compute(int[] truth, int[] predicted, LabelMap labels) {
        if (truth.length != predicted.length || truth.length == 0) {
            throw new IllegalArgumentException("need equally many (>0) true and predicted labels");
        }
        int k = labels.size();
        int[][] cm = new int[k][k];
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            cm[truth[i]][predicted[i]]++;
            if (truth[i] == predicted[i]) {
                correct++;
            }
        }
        List<ClassMetrics> per = new ArrayList<>();
        double f1Sum = 0;
        for (int c = 0; c < k; c++) {
            int tp = cm[c][c];
            int actual = 0;
            int pred = 0;
            for (int j = 0; j < k; j++) {
                actual += cm[c][j];
                pred += cm[j][c];
            }
            double p = pred == 0 ? 0 : (double) tp / pred;
            double r = actual == 0 ? 0 : (double) tp / actual;
            double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
            per.add(new ClassMetrics(labels.name(c), p, r, f1, actual));
            f1Sum += f1;
        }
        int n = truth.length;
        double acc = (double) correct / n;
        double[] ci = wilson(correct, n);
        return new Metrics(n, acc, ci[0], ci[1], f1Sum / k, per, labels.names(), cm);
    }

    /** Wilson score interval at 95%: well-behaved at small n and near 0 or 1, unlike the normal approximation. */
    static double[] wilson(int successes, int n) {
        double z = 1.959963984540054;
        double p = (double) successes / n;
        double denom = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
