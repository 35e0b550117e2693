package io.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Writes Java values into an existing array's libtorch-owned memory.
 *
 * <p>DJL's {@code NDArray.set(float[])} on the PyTorch engine does not copy: it re-points the
 * tensor at a direct buffer that only the Java handle keeps alive, so any other handle on the same
 * tensor (a parameter's gradient, a saved autograd input) dangles once that handle is closed. Never
 * use it on arrays that outlive the call; use this.
 */
public final class Weights {
    private Weights() {}

    public static void assign(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException("assigning " + values.length + " values to an array of shape " + target.getShape());
        }
        try (NDManager scratch = target.getManager().newSubManager()) {
            NDArray source = scratch.create(values, target.getShape());
            target.set(new NDIndex("..."), source);
        }
    }
}
