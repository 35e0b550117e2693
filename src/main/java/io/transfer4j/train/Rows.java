package io.transfer4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Model inputs kept on the Java heap and turned into one batch of NDArrays at a time, on the
 * step's own manager, so each batch's native memory is freed when its step ends.
 */
public interface Rows {
    int size();

    /** The inputs for the given rows, created on {@code manager}. */
    NDList batch(NDManager manager, int[] rows);

    /** Shapes of one batch of {@code n} rows, used to initialise a block. */
    Shape[] shapes(int n);

    /**
     * How {@link #batch} mixed these rows' inputs in pairs (mixup, cutmix), so that their targets
     * are mixed alike; null (the default) when inputs are not mixed.
     */
    default io.transfer4j.data.Augmenter.Mixing mixing(int[] rows) {
        return null;
    }
}
