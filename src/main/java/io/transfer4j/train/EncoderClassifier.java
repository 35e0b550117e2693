package io.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.transfer4j.onnx.OnnxBlock;

/**
 * A trainable imported encoder, mean-pooled over its attention mask, with a new linear head: the
 * whole network fine-tunes end to end through the training loop.
 */
public final class EncoderClassifier extends AbstractBlock {
    private final OnnxBlock encoder;
    private final Linear head;
    private final int maskInput;
    private final int width;

    public EncoderClassifier(OnnxBlock encoder, int width, int classes) {
        this.encoder = addChildBlock("encoder", encoder);
        this.head = addChildBlock("head", Linear.builder().setUnits(classes).build());
        this.maskInput = encoder.inputNames().indexOf("attention_mask");
        this.width = width;
        if (maskInput < 0) {
            throw new IllegalArgumentException("the encoder has no attention_mask input");
        }
    }

    public OnnxBlock encoder() {
        return encoder;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray hidden = encoder.forward(ps, inputs, training).head();
        NDArray mask = inputs.get(maskInput).toType(DataType.FLOAT32, false).expandDims(-1);
        NDArray pooled = hidden.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
        return head.forward(ps, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), width)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes); // weights come from the graph; this marks them trainable
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), width));
    }
}
