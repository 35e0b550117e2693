package io.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.transfer4j.onnx.OnnxBlock;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A trainable imported encoder, mean-pooled over its attention mask, with a new linear head (the
 * same head a linear probe uses, so bundles store it the same way): the whole network fine-tunes
 * end to end through the training loop, or any part of it, as a {@link Strategy} decides.
 */
public final class EncoderClassifier extends AbstractBlock implements HeadedNetwork {
    private final OnnxBlock encoder;
    private final Block head;
    private final int maskInput;
    private final int width;

    public EncoderClassifier(OnnxBlock encoder, int width, int classes) {
        this.encoder = addChildBlock("encoder", encoder);
        this.head = addChildBlock("head", HeadType.LOGISTIC.build(classes, 0));
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
    public Block head() {
        return head;
    }

    public int width() {
        return width;
    }

    /** The pooled sentence vectors the head reads. */
    @Override
    public NDArray pooled(ParameterStore ps, NDList inputs, boolean training) {
        NDArray hidden = encoder.forward(ps, inputs, training).head();
        NDArray mask = inputs.get(maskInput).toType(DataType.FLOAT32, false).expandDims(-1);
        return hidden.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return head.forward(ps, new NDList(pooled(ps, inputs, training)), training);
    }

    /** Each parameter with its group (the encoder's structure, then "head") and role. */
    @Override
    public ParameterTable table() {
        Set<Parameter> headParams = Collections.newSetFromMap(new IdentityHashMap<>());
        headParams.addAll(head.getParameters().values());
        return ParameterTable.of(this,
                p -> headParams.contains(p) ? "head" : encoder.groupOf(p.getName()),
                p -> headParams.contains(p) ? TunedParameter.Role.HEAD
                        : OnnxBlock.isAdapter(p.getName()) ? TunedParameter.Role.ADAPTER : TunedParameter.Role.BODY,
                encoder.groupOrder());
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
