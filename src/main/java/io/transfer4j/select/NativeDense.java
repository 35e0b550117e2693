package io.transfer4j.select;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.ejml.data.DMatrixRMaj;

/**
 * The scores' O(n d^2) and O(n^2 d) products on PyTorch's BLAS (multi-threaded, vectorised), in
 * double precision like the rest of the scores: one JNI crossing per product instead of scalar
 * Java loops, which took tens of seconds per candidate on 5,000 texts.
 */
final class NativeDense {
    /** Query rows per similarity block in {@link #nearest}: 1,024 x n doubles stay under 200 MB at n = 20,000. */
    private static final int BLOCK = 1024;

    private NativeDense() {}

    /** {@code x^T x}. */
    static DMatrixRMaj gram(DMatrixRMaj x) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.create(x.data, new Shape(x.numRows, x.numCols));
            double[] g = a.transpose().matMul(a).toDoubleArray();
            return DMatrixRMaj.wrap(x.numCols, x.numCols, g);
        }
    }

    /**
     * Each row's {@code k} (< n) most cosine-similar other rows, most similar first: {@code [n][k]}
     * row indices. The similarity matrix is formed a block of rows at a time and never leaves
     * native memory; only the indices cross.
     */
    static int[][] nearest(float[][] rows, int k) {
        int n = rows.length;
        int[][] out = new int[n][];
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(rows).toType(DataType.FLOAT64, false);
            NDArray unit = x.div(x.square().sum(new int[] {1}, true).sqrt().maximum(1e-12));
            NDArray unitT = unit.transpose();
            for (int start = 0; start < n; start += BLOCK) {
                int end = Math.min(n, start + BLOCK);
                try (NDManager b = m.newSubManager()) {
                    NDArray q = unit.get(new NDIndex("{}:{}", start, end));
                    q.attach(b);
                    // k + 1 candidates, the row itself dropped wherever it ranks (a duplicate may tie with it)
                    NDList top = q.matMul(unitT).topK(k + 1, 1, true, true);
                    long[] idx = top.get(1).toLongArray();
                    for (int i = start; i < end; i++) {
                        int[] nb = new int[k];
                        int kept = 0;
                        for (int j = 0; j <= k && kept < k; j++) {
                            int c = (int) idx[(i - start) * (k + 1) + j];
                            if (c != i) {
                                nb[kept++] = c;
                            }
                        }
                        out[i] = nb;
                    }
                }
            }
        }
        return out;
    }
}
