package io.transfer4j.selfsup;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.transfer4j.train.Rows;

/**
 * Two augmented views of every row, as one batch of {@code 2n} inputs: the first view's {@code n}
 * rows, then the second's in the same order ({@link NtXent}'s layout). The views are the same data
 * through two {@link Rows} that augment independently (different seeds), so a batch drawn again
 * (a resumed run, a validation pass) is the same pair of views.
 */
public final class ViewRows implements Rows {
    private final Rows first;
    private final Rows second;

    public ViewRows(Rows first, Rows second) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException("the two views need the same rows: " + first.size() + " vs " + second.size());
        }
        this.first = first;
        this.second = second;
    }

    @Override
    public int size() {
        return first.size();
    }

    @Override
    public NDList batch(NDManager manager, int[] rows) {
        NDArray a = first.batch(manager, rows).singletonOrThrow();
        NDArray b = second.batch(manager, rows).singletonOrThrow();
        return new NDList(a.concat(b, 0));
    }

    @Override
    public Shape[] shapes(int n) {
        Shape one = first.shapes(n)[0];
        long[] dims = one.getShape();
        dims[0] = 2L * dims[0];
        return new Shape[] {new Shape(dims)};
    }
}
