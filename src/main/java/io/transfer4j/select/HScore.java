package io.transfer4j.select;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * H-score (Bao et al., ICIP 2019): tr(cov(f)^+ cov(E[f|y])), how much of the feature variance
 * separates the classes; and its shrinkage form (Ibrahim et al., 2022), which replaces cov(f) by
 * the Ledoit-Wolf estimate so the score stays meaningful when features are wide and samples few.
 */
public final class HScore {
    private HScore() {}

    public static double score(float[][] features, int[] labels) {
        DMatrixRMaj f = Matrices.of(features);
        DMatrixRMaj covf = Matrices.covariance(f);
        DMatrixRMaj covg = Matrices.betweenClassCovariance(f, labels, Matrices.classes(labels));
        return traceOfProduct(Matrices.pinvSymmetric(covf, 1e-15), covg);
    }

    public static double shrinkage(float[][] features, int[] labels) {
        DMatrixRMaj f = Matrices.centred(Matrices.of(features));
        int n = f.numRows;
        int p = f.numCols;
        // Ledoit-Wolf (2004) shrinkage towards mu * I, as scikit-learn computes it
        DMatrixRMaj emp = NativeDense.gram(f);
        CommonOps_DDRM.scale(1.0 / n, emp);
        double trace = CommonOps_DDRM.trace(emp);
        double mu = trace / p;
        DMatrixRMaj f2 = f.copy();
        CommonOps_DDRM.elementMult(f2, f);
        DMatrixRMaj f2tf2 = NativeDense.gram(f2);
        double betaSum = CommonOps_DDRM.elementSum(f2tf2);
        double deltaSum = 0;
        for (int i = 0; i < p * p; i++) {
            double v = emp.data[i] * n;
            deltaSum += v * v;
        }
        deltaSum /= (double) n * n;
        double beta = 1.0 / (p * (double) n) * (betaSum / n - deltaSum);
        double delta = (deltaSum - 2 * mu * trace + p * mu * mu) / p;
        beta = Math.min(beta, delta);
        double shrink = beta == 0 ? 0 : beta / delta;
        DMatrixRMaj shrunk = emp.copy();
        CommonOps_DDRM.scale(1 - shrink, shrunk);
        for (int i = 0; i < p; i++) {
            shrunk.add(i, i, shrink * mu);
        }
        DMatrixRMaj covg = Matrices.betweenClassCovariance(f, labels, Matrices.classes(labels));
        CommonOps_DDRM.scale(1 - shrink, covg);
        return traceOfProduct(Matrices.pinvSymmetric(shrunk, 1e-15), covg);
    }

    private static double traceOfProduct(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj ab = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, ab);
        return CommonOps_DDRM.trace(ab);
    }
}
