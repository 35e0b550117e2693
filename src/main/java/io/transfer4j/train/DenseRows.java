package io.transfer4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Fixed-width feature vectors, e.g. pooled embeddings. */
public record DenseRows(float[][] x) implements Rows {
    public DenseRows {
        if (x.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
    }

    public int width() {
        return x[0].length;
    }

    @Override
    public int size() {
        return x.length;
    }

    @Override
    public NDList batch(NDManager manager, int[] rows) {
        int w = width();
        float[] flat = new float[rows.length * w];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(x[rows[k]], 0, flat, k * w, w);
        }
        return new NDList(manager.create(flat, new Shape(rows.length, w)));
    }

    @Override
    public Shape[] shapes(int n) {
        return new Shape[] {new Shape(n, width())};
    }
}
