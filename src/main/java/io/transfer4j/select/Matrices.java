package io.transfer4j.select;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** The few dense-matrix steps the scores share, on EJML, in double precision. */
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
        DMatrixRMaj c = centred(x);
        DMatrixRMaj cov = new DMatrixRMaj(x.numCols, x.numCols);
        CommonOps_DDRM.multTransA(c, c, cov);
        CommonOps_DDRM.scale(1.0 / (x.numRows - 1), cov);
        return cov;
    }

    /** Each row replaced by the mean of its class's rows. */
    static DMatrixRMaj classMeans(DMatrixRMaj x, int[] labels, int classes) {
        double[][] sum = new double[classes][x.numCols];
        int[] count = new int[classes];
        for (int i = 0; i < x.numRows; i++) {
            count[labels[i]]++;
            for (int j = 0; j < x.numCols; j++) {
                sum[labels[i]][j] += x.unsafe_get(i, j);
            }
        }
        DMatrixRMaj g = new DMatrixRMaj(x.numRows, x.numCols);
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < x.numCols; j++) {
                g.unsafe_set(i, j, sum[labels[i]][j] / count[labels[i]]);
            }
        }
        return g;
    }

    /** Moore-Penrose pseudo-inverse by SVD, dropping singular values below rcond times the largest. */
    static DMatrixRMaj pinv(DMatrixRMaj a, double rcond) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols, true, true, false);
        if (!svd.decompose(a.copy())) {
            throw new IllegalStateException("SVD did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        double[] s = svd.getSingularValues();
        double max = 0;
        for (double x : s) {
            max = Math.max(max, x);
        }
        DMatrixRMaj vs = v.copy();
        for (int k = 0; k < s.length; k++) {
            double inv = s[k] > rcond * max ? 1 / s[k] : 0;
            for (int i = 0; i < vs.numRows; i++) {
                vs.unsafe_set(i, k, vs.unsafe_get(i, k) * inv);
            }
        }
        DMatrixRMaj out = new DMatrixRMaj(a.numCols, a.numRows);
        CommonOps_DDRM.multTransB(vs, u, out);
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
