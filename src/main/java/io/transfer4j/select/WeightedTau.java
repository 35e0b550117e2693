package io.transfer4j.select;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Vigna's weighted Kendall tau (WWW 2015), as scipy.stats.weightedtau computes it by default and as
 * TLlib and the transferability literature report it: pairs are weighted additively by the
 * hyperbolic weight 1/(r+1) of each element's rank, so disagreements about the top candidates
 * count most; ties are handled; the result is the mean of the index ranked by x and ranked by y.
 * Quadratic in n, which is fine for the tens of candidates a ranking compares.
 */
public final class WeightedTau {
    private WeightedTau() {}

    public static double of(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("weighted tau needs two equally long rankings of at least 2 items");
        }
        return (ranked(x, y, x, y) + ranked(x, y, y, x)) / 2;
    }

    /** The index with weights from the decreasing lexicographic rank by (primary, secondary). */
    private static double ranked(double[] x, double[] y, double[] primary, double[] secondary) {
        int n = x.length;
        Integer[] order = IntStream.range(0, n).boxed().sorted(Comparator.<Integer>comparingDouble(i -> -primary[i])
                .thenComparingDouble(i -> -secondary[i])).toArray(Integer[]::new);
        double[] weight = new double[n];
        for (int r = 0; r < n; r++) {
            weight[order[r]] = 1.0 / (r + 1);
        }
        double num = 0;
        double dx = 0;
        double dy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double w = weight[i] + weight[j];
                double sx = Math.signum(x[i] - x[j]);
                double sy = Math.signum(y[i] - y[j]);
                num += sx * sy * w;
                dx += Math.abs(sx) * w;
                dy += Math.abs(sy) * w;
            }
        }
        return dx == 0 || dy == 0 ? Double.NaN : num / Math.sqrt(dx * dy);
    }
}
