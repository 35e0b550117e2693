package io.transfer4j.select;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** The few dense-matrix steps the scores share, in double precision: decompositions on EJML, large products native. */
final class Matrices {
    private Matrices() {}

    static DMatrixRMaj of(float[][] rows) {
        DMatrixRMaj m = new DMatrixRMaj(rows.length, rows[0].length);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                m.unsafe_set(i, j, rows[i][j]);
            }
        }
        return m;
    }

    /** Columns minus their means. */
    static DMatrixRMaj centred(DMatrixRMaj x) {
        DMatrixRMaj c = x.copy();
        for (int j = 0; j < x.numCols; j++) {
            double mean = 0;
            for (int i = 0; i < x.numRows; i++) {
                mean += x.unsafe_get(i, j);
            }
            mean /= x.numRows;
            for (int i = 0; i < x.numRows; i++) {
                c.unsafe_set(i, j, x.unsafe_get(i, j) - mean);
            }
        }
        return c;
    }

    /** Sample covariance of the columns (divisor n - 1), like numpy.cov(rowvar=False). */
    static DMatrixRMaj covariance(DMatrixRMaj x) {
        DMatrixRMaj cov = NativeDense.gram(centred(x));
        CommonOps_DDRM.scale(1.0 / (x.numRows - 1), cov);
        return cov;
    }

    /**
     * The sample covariance of the rows after each is replaced by its class's mean, in closed form:
     * sum over classes of n_c (mu_c - mu)(mu_c - mu)^T / (n - 1), a classes x d product instead of
     * an n x d one.
     */
    static DMatrixRMaj betweenClassCovariance(DMatrixRMaj x, int[] labels, int classes) {
        int n = x.numRows;
        int d = x.numCols;
        double[][] sum = new double[classes][d];
        double[] total = new double[d];
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            count[labels[i]]++;
            for (int j = 0; j < d; j++) {
                double v = x.unsafe_get(i, j);
                sum[labels[i]][j] += v;
                total[j] += v;
            }
        }
        DMatrixRMaj dev = new DMatrixRMaj(classes, d);
        for (int c = 0; c < classes; c++) {
            if (count[c] == 0) {
                continue; // an absent class adds nothing: its row stays zero
            }
            double w = Math.sqrt(count[c]);
            for (int j = 0; j < d; j++) {
                dev.unsafe_set(c, j, w * (sum[c][j] / count[c] - total[j] / n));
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(dev, dev, cov);
        CommonOps_DDRM.scale(1.0 / (n - 1), cov);
        return cov;
    }

    /** A symmetric matrix's eigenvalues and, as columns in the same order, its eigenvectors. */
    record Eigen(double[] values, DMatrixRMaj vectors) {}

    /**
     * Eigendecomposition of a symmetric matrix (Gram and covariance matrices): on EJML's symmetric
     * QR algorithm, about twice as fast as the SVD these matrices need no more than.
     */
    static Eigen symmetricEigen(DMatrixRMaj a) {
        int d = a.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(a.copy())) {
            throw new IllegalStateException("symmetric eigendecomposition did not converge");
        }
        double[] values = new double[d];
        DMatrixRMaj vectors = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            values[k] = eig.getEigenvalue(k).getReal();
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                vectors.unsafe_set(i, k, v.unsafe_get(i, 0));
            }
        }
        return new Eigen(values, vectors);
    }

    /**
     * Moore-Penrose pseudo-inverse of a symmetric matrix, V diag(1/lambda) V^T, dropping
     * eigenvalues whose magnitude is below rcond times the largest (numpy.linalg.pinv's rule, as
     * its singular values are these magnitudes).
     */
    static DMatrixRMaj pinvSymmetric(DMatrixRMaj a, double rcond) {
        Eigen e = symmetricEigen(a);
        double max = 0;
        for (double x : e.values()) {
            max = Math.max(max, Math.abs(x));
        }
        DMatrixRMaj v = e.vectors();
        DMatrixRMaj vs = v.copy();
        for (int k = 0; k < e.values().length; k++) {
            double x = e.values()[k];
            double inv = Math.abs(x) > rcond * max ? 1 / x : 0;
            for (int i = 0; i < vs.numRows; i++) {
                vs.unsafe_set(i, k, vs.unsafe_get(i, k) * inv);
            }
        }
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numRows);
        CommonOps_DDRM.multTransB(vs, v, out);
        return out;
    }

    static int classes(int[] labels) {
        int k = 0;
        for (int y : labels) {
            k = Math.max(k, y + 1);
        }
        return k;
    }
}
