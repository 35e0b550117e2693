package io.transfer4j.select;

/**
 * Leave-one-out k-nearest-neighbour accuracy under cosine similarity: a cheap, assumption-free
 * proxy of how well a classifier on these features would do. The neighbours come from blocked
 * similarity products on the native BLAS ({@link NativeDense#nearest}); the vote is a majority,
 * ties going to the lower class index.
 */
public final class KnnProxy {
    private KnnProxy() {}

    public static double accuracy(float[][] features, int[] labels, int k) {
        int n = features.length;
        int kk = Math.min(k, n - 1);
        if (kk < 1) {
            return 0;
        }
        int[][] nearest = NativeDense.nearest(features, kk);
        int classes = Matrices.classes(labels);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int[] votes = new int[classes];
            for (int j : nearest[i]) {
                votes[labels[j]]++;
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
