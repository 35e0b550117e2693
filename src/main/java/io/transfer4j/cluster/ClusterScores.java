package io.transfer4j.cluster;

/**
 * How good a partition is: against true labels, normalised mutual information (arithmetic-mean
 * normalisation, which equals the V-measure MTEB reports) and the adjusted Rand index; without
 * labels, the mean silhouette.
 */
public final class ClusterScores {
    private ClusterScores() {}

    /** NMI = I(U; V) / ((H(U) + H(V)) / 2); 1 when both partitions are one cluster. */
    public static double nmi(int[] truth, int[] pred) {
        long[][] c = contingency(truth, pred);
        int n = truth.length;
        double[] rows = new double[c.length];
        double[] cols = new double[c[0].length];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[0].length; j++) {
                rows[i] += c[i][j];
                cols[j] += c[i][j];
            }
        }
        double mi = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[0].length; j++) {
                if (c[i][j] > 0) {
                    mi += c[i][j] / (double) n * Math.log((double) n * c[i][j] / (rows[i] * cols[j]));
                }
            }
        }
        double hu = entropy(rows, n);
        double hv = entropy(cols, n);
        if (hu + hv == 0) {
            return 1;
        }
        return Math.max(0, mi / ((hu + hv) / 2));
    }

    /** Hubert and Arabie's adjusted Rand index: 0 in expectation for random partitions, 1 for identical ones. */
    public static double ari(int[] truth, int[] pred) {
        long[][] c = contingency(truth, pred);
        double index = 0;
        double[] rows = new double[c.length];
        double[] cols = new double[c[0].length];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[0].length; j++) {
                index += pairs(c[i][j]);
                rows[i] += c[i][j];
                cols[j] += c[i][j];
            }
        }
        double a = 0;
        double b = 0;
        for (double r : rows) {
            a += pairs(r);
        }
        for (double v : cols) {
            b += pairs(v);
        }
        double expected = a * b / pairs(truth.length);
        double max = (a + b) / 2;
        return max == expected ? 1 : (index - expected) / (max - expected);
    }

    /**
     * Mean silhouette (b - a) / max(a, b) over the rows, a the mean distance to the row's own cluster,
     * b to the nearest other cluster; rows alone in their cluster count 0. O(n^2 d): callers sample.
     */
    public static double silhouette(float[][] x, int[] label, int k) {
        int n = x.length;
        int[] count = new int[k];
        for (int l : label) {
            count[l]++;
        }
        double total = 0;
        double[] sum = new double[k];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(sum, 0);
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sum[label[j]] += Math.sqrt(KMeans.squared(x[i], x[j]));
                }
            }
            int own = label[i];
            if (count[own] <= 1) {
                continue;
            }
            double a = sum[own] / (count[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != own && count[c] > 0) {
                    b = Math.min(b, sum[c] / count[c]);
                }
            }
            if (Double.isFinite(b) && Math.max(a, b) > 0) {
                total += (b - a) / Math.max(a, b);
            }
        }
        return total / n;
    }

    private static double pairs(double m) {
        return m * (m - 1) / 2;
    }

    private static double entropy(double[] counts, int n) {
        double h = 0;
        for (double c : counts) {
            if (c > 0) {
                h -= c / n * Math.log(c / n);
            }
        }
        return h;
    }

    static long[][] contingency(int[] truth, int[] pred) {
        if (truth.length != pred.length || truth.length == 0) {
            throw new IllegalArgumentException(truth.length + " labels but " + pred.length + " assignments");
        }
        int ku = 0;
        int kv = 0;
        for (int i = 0; i < truth.length; i++) {
            ku = Math.max(ku, truth[i] + 1);
            kv = Math.max(kv, pred[i] + 1);
        }
        long[][] c = new long[ku][kv];
        for (int i = 0; i < truth.length; i++) {
            c[truth[i]][pred[i]]++;
        }
        return c;
    }
}
