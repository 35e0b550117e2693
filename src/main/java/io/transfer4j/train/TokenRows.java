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
        PaddedIds p = PaddedIds.of(ids, rows);
        float[] mask = new float[p.mask().length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = p.mask()[i];
        }
        Shape s = new Shape(p.rows(), p.length());
        return new NDList(manager.create(p.ids(), s), manager.create(mask, s));
    }

    @Override
    public Shape[] shapes(int n) {
        return new Shape[] {new Shape(n, 1), new Shape(n, 1)};
    }
}
