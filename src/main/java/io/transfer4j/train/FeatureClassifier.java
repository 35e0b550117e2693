package io.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.transfer4j.onnx.OnnxBlock;

/**
 * A trainable imported network that already ends in one feature vector per example (a vision
 * backbone's pooled features) with a new linear head; what trains is decided by a
 * {@link Strategy} over {@link #table()}.
 */
public final class FeatureClassifier extends AbstractBlock implements HeadedNetwork {
    private final OnnxBlock body;
    private final Block head;
    private final int width;

    public FeatureClassifier(OnnxBlock body, int width, int classes) {
        this.body = addChildBlock("body", body);
        this.head = addChildBlock("head", HeadType.LOGISTIC.build(classes, 0));
        this.width = width;
    }

    public OnnxBlock body() {
        return body;
    }

    @Override
    public Block head() {
        return head;
    }

    /** The body's feature vectors (the backbone already pools them). */
    @Override
    public NDArray pooled(ParameterStore ps, NDList inputs, boolean training) {
        return body.forward(ps, inputs, training).head();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return head.forward(ps, body.forward(ps, inputs, training), training);
    }

    /** Each parameter with its group (the network's stages from the input up, then "head") and role. */
    @Override
    public ParameterTable table() {
        return ParameterTable.ofBodyAndHead(this, body, head);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), width)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), width));
    }
}
