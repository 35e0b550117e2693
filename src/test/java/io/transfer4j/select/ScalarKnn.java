package io.transfer4j.select;

/**
 * The scalar leave-one-out k-NN that KnnProxy replaced: every pair in plain Java, the reference the
 * native, blocked one is tested against (ties in similarity keep the earlier row).
 */
final class ScalarKnn {
    private ScalarKnn() {}

    static double accuracy(float[][] features, int[] labels, int k) {
        int n = features.length;
        float[][] unit = new float[n][];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (float v : features[i]) {
                norm += v * v;
            }
            float inv = (float) (1 / Math.max(1e-12, Math.sqrt(norm)));
            unit[i] = new float[features[i].length];
            for (int d = 0; d < unit[i].length; d++) {
                unit[i][d] = features[i][d] * inv;
            }
        }
        int classes = Matrices.classes(labels);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int[] best = new int[k];
            double[] sim = new double[k];
            java.util.Arrays.fill(sim, Double.NEGATIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double s = 0;
                for (int d = 0; d < unit[i].length; d++) {
                    s += unit[i][d] * unit[j][d];
                }
                int pos = k - 1;
                if (s <= sim[pos]) {
                    continue;
                }
                while (pos > 0 && sim[pos - 1] < s) {
                    sim[pos] = sim[pos - 1];
                    best[pos] = best[pos - 1];
                    pos--;
                }
                sim[pos] = s;
                best[pos] = j;
            }
            int[] votes = new int[classes];
            for (int m = 0; m < k && sim[m] > Double.NEGATIVE_INFINITY; m++) {
                votes[labels[best[m]]]++;
            }
            int arg = 0;
            for (int c = 1; c < classes; c++) {
                if (votes[c] > votes[arg]) {
                    arg = c;
                }
            }
            if (arg == labels[i]) {
                correct++;
            }
        }
        return (double) correct / n;
    }
}
