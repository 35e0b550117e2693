package io.transfer4j.eval;

import java.util.List;

/**
 * Transfer against scratch over several seeds (each seed its own split, both models trained on
 * it): the paired accuracy differences, their mean and 95% confidence interval (Student t), and
 * the verdict. A transfer whose interval lies wholly below zero is negative transfer.
 */
public record SeedComparison(List<Long> seeds, List<Double> transferAccuracy, List<Double> scratchAccuracy,
        double meanGain, double gainLow95, double gainHigh95, Verdict verdict) {

    public enum Verdict {
        /** transfer is significantly better than scratch */
        POSITIVE_TRANSFER,
        /** transfer is significantly worse than scratch */
        NEGATIVE_TRANSFER,
        /** the interval contains zero: no significant difference at this number of seeds */
        INCONCLUSIVE
    }

    // two-sided 95% Student t quantiles for 1..10 degrees of freedom
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};

    public static SeedComparison of(List<Long> seeds, List<Double> transfer, List<Double> scratch) {
        int n = seeds.size();
        if (n < 2 || transfer.size() != n || scratch.size() != n) {
            throw new IllegalArgumentException("need at least two paired runs");
        }
        double[] gain = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            gain[i] = transfer.get(i) - scratch.get(i);
            mean += gain[i] / n;
        }
        double var = 0;
        for (double g : gain) {
            var += (g - mean) * (g - mean) / (n - 1);
        }
        double t = n - 1 <= T95.length ? T95[n - 2] : 1.96;
        double half = t * Math.sqrt(var / n);
        Verdict v = mean + half < 0 ? Verdict.NEGATIVE_TRANSFER : mean - half > 0 ? Verdict.POSITIVE_TRANSFER : Verdict.INCONCLUSIVE;
        return new SeedComparison(List.copyOf(seeds), List.copyOf(transfer), List.copyOf(scratch), mean, mean - half,
                mean + half, v);
    }
}
