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
 * A trainable imported encoder applied to every window of a row (the windows of an audio clip),
 * its vectors averaged into the row's features, and a new linear head: input
 * {@code [rows, windows, window...]}, the encoder run on all {@code rows x windows} windows in
 * one batch. The mean is what the frozen encoder's features are too, so a probe fitted on those
 * (LP-FT) reads the same thing.
 */
public final class WindowedClassifier extends AbstractBlock implements HeadedNetwork {
    private final OnnxBlock body;
    private final Block head;
    private final int width;

    public WindowedClassifier(OnnxBlock body, int width, int classes) {
        this.body = addChildBlock("body", body);
        this.head = addChildBlock("head", HeadType.LOGISTIC.build(classes, 0));
        this.width = width;
    }

    @Override
    public Block head() {
        return head;
    }

    @Override
    public NDArray pooled(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.head();
        Shape s = x.getShape();
        long rows = s.get(0);
        NDArray windows = x.reshape(new Shape(rows * s.get(1)).addAll(s.slice(2)));
        NDArray v = body.forward(ps, new NDList(windows), training).head();
        return v.reshape(rows, s.get(1), -1).mean(new int[] {1});
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return head.forward(ps, new NDList(pooled(ps, inputs, training)), training);
    }

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
        Shape s = inputShapes[0];
        body.initialize(manager, dataType, new Shape(s.get(0) * s.get(1)).addAll(s.slice(2)));
        head.initialize(manager, dataType, new Shape(s.get(0), width));
    }
}
