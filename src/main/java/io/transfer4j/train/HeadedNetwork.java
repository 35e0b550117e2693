package io.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A trainable network of any modality that ends in one feature vector per row read by a linear
 * head: what LP-FT ({@link ProbeFirst}) needs to fit that head on the frozen features first.
 */
public interface HeadedNetwork extends TunableNetwork {
    /** The feature vectors the head reads. */
    NDArray pooled(ParameterStore ps, NDList inputs, boolean training);

    Block head();
}
