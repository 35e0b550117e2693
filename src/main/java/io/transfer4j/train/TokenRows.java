package io.transfer4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Variable-length id sequences; a batch is padded to its longest row and carries a 0/1 mask. */
public record TokenRows(long[][] ids) implements Rows {
    @Override
    public int size() {
        return ids.length;
    }

    @Override
    public NDList batch(NDManager manager, int[] rows) {
        int len = 1;
        for (int r : rows) {
            len = Math.max(len, ids[r].length);
        }
        long[] flat = new long[rows.length * len];
        float[] mask = new float[rows.length * len];
        for (int k = 0; k < rows.length; k++) {
            long[] row = ids[rows[k]];
            System.arraycopy(row, 0, flat, k * len, row.length);
            java.util.Arrays.fill(mask, k * len, k * len + row.length, 1f);
        }
        Shape s = new Shape(rows.length, len);
        return new NDList(manager.create(flat, s), manager.create(mask, s));
    }

    @Override
    public Shape[] shapes(int n) {
        return new Shape[] {new Shape(n, 1), new Shape(n, 1)};
    }
}
