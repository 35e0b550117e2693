package io.transfer4j.select;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * LogME (You et al., "LogME: Practical Assessment of Pre-trained Models for Transfer Learning",
 * ICML 2021): the log marginal evidence, per sample, of a Bayesian linear model from the features
 * to each one-hot label column, with its prior and noise precisions (alpha, beta) found by the
 * paper's fixed-point iteration; the score is the mean over classes. Higher means the features
 * explain the labels better. Uses one eigendecomposition of F^T F (formed on the native BLAS) for all classes.
 */
public final class LogMe {
    private LogMe() {}

    public static double score(float[][] features, int[] labels) {
        DMatrixRMaj f = Matrices.of(features);
        int n = f.numRows;
        int d = f.numCols;
        DMatrixRMaj ftf = NativeDense.gram(f);
        Matrices.Eigen eig = Matrices.symmetricEigen(ftf);
        DMatrixRMaj v = eig.vectors();
        // F^T F is positive semi-definite: a slightly negative eigenvalue is rounding
        double[] s = java.util.Arrays.stream(eig.values()).map(x -> Math.max(0, x)).toArray();
        int classes = Matrices.classes(labels);
        double total = 0;
        for (int k = 0; k < classes; k++) {
            DMatrixRMaj y = new DMatrixRMaj(n, 1);
            for (int i = 0; i < n; i++) {
                y.unsafe_set(i, 0, labels[i] == k ? 1 : 0);
            }
            total += evidence(f, y, v, s, n, d);
        }
        return total / classes;
    }

    private static double evidence(DMatrixRMaj f, DMatrixRMaj y, DMatrixRMaj v, double[] s, int n, int d) {
        double eps = 1e-5;
        double alpha = 1;
        double beta = 1;
        double lam = alpha / beta;
        DMatrixRMaj fty = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.multTransA(f, y, fty);
        DMatrixRMaj tmp = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.multTransA(v, fty, tmp);
        DMatrixRMaj m = new DMatrixRMaj(d, 1);
        DMatrixRMaj scaled = new DMatrixRMaj(d, 1);
        DMatrixRMaj fm = new DMatrixRMaj(n, 1);
        double alphaDe = 0;
        double betaDe = 0;
        for (int iter = 0; iter < 11; iter++) {
            double gamma = 0;
            for (double x : s) {
                gamma += x / (x + lam);
            }
            for (int j = 0; j < d; j++) {
                scaled.unsafe_set(j, 0, tmp.unsafe_get(j, 0) * beta / (alpha + beta * s[j]));
            }
            CommonOps_DDRM.mult(v, scaled, m);
            alphaDe = CommonOps_DDRM.dot(m, m);
            alpha = gamma / (alphaDe + eps);
            CommonOps_DDRM.mult(f, m, fm);
            betaDe = 0;
            for (int i = 0; i < n; i++) {
                double r = y.unsafe_get(i, 0) - fm.unsafe_get(i, 0);
                betaDe += r * r;
            }
            beta = (n - gamma) / (betaDe + eps);
            double newLam = alpha / beta;
            if (Math.abs(newLam - lam) / lam < 0.01) {
                break;
            }
            lam = newLam;
        }
        double logDet = 0;
        for (double x : s) {
            logDet += Math.log(alpha + beta * x);
        }
        double ev = d / 2.0 * Math.log(alpha) + n / 2.0 * Math.log(beta) - 0.5 * logDet - beta / 2.0 * (betaDe + eps)
                - alpha / 2.0 * (alphaDe + eps) - n / 2.0 * Math.log(2 * Math.PI);
        return ev / n;
    }
}
