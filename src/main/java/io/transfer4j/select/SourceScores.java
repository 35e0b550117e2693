package io.transfer4j.select;

/**
 * Scores for backbones that come with a source classifier: LEEP (Nguyen et al., ICML 2020), the
 * average log-likelihood of the target labels under the "expected empirical predictor" built from
 * the source model's class probabilities; and NCE (Tran et al., ICCV 2019), the negative
 * conditional entropy of target labels given the source model's hard predictions.
 */
public final class SourceScores {
    private SourceScores() {}

    /** @param sourceProbs one row of source-class probabilities per target example */
    public static double leep(double[][] sourceProbs, int[] labels) {
        int n = labels.length;
        int z = sourceProbs[0].length;
        int k = Matrices.classes(labels);
        double[][] joint = new double[k][z];
        double[] pz = new double[z];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < z; j++) {
                joint[labels[i]][j] += sourceProbs[i][j] / n;
                pz[j] += sourceProbs[i][j] / n;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double eep = 0;
            for (int j = 0; j < z; j++) {
                if (pz[j] > 0) {
                    eep += sourceProbs[i][j] * joint[labels[i]][j] / pz[j];
                }
            }
            total += Math.log(eep);
        }
        return total / n;
    }

    /** @param sourceLabels the source model's predicted class per target example */
    public static double nce(int[] sourceLabels, int[] labels) {
        int n = labels.length;
        int k = Matrices.classes(labels);
        int z = Matrices.classes(sourceLabels);
        double[][] joint = new double[k][z];
        double[] pz = new double[z];
        for (int i = 0; i < n; i++) {
            joint[labels[i]][sourceLabels[i]] += 1.0 / n;
            pz[sourceLabels[i]] += 1.0 / n;
        }
        double h = 0;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < z; b++) {
                if (joint[a][b] > 0) {
                    h -= joint[a][b] * Math.log(joint[a][b] / pz[b]);
                }
            }
        }
        return -h;
    }
}
