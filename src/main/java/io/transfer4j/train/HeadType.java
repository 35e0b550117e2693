package io.transfer4j.train;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.Locale;

/** The classifier put on top of frozen features. */
public enum HeadType {
    /** Multinomial logistic regression: one linear layer, L2-regularised. */
    LOGISTIC,
    /** One hidden ReLU layer with dropout, then a linear layer. */
    MLP;

    public Block build(int classes, int hidden) {
        SequentialBlock b = new SequentialBlock();
        if (this == MLP) {
            b.add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
                    .add(Dropout.builder().optRate(0.2f).build());
        }
        return b.add(Linear.builder().setUnits(classes).build());
    }

    public static HeadType parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new io.transfer4j.util.UserException("unknown head '" + s + "'; choose logistic or mlp");
        }
    }

    /**
     * A standalone copy of a trained logistic head (its weights copied into a new model's native
     * memory), as bundles store heads; the caller closes it.
     */
    public static ai.djl.Model copyOf(ai.djl.nn.Block trained, int classes, int width) {
        ai.djl.Model head = ai.djl.Model.newInstance("head", ai.djl.Device.cpu(), "PyTorch");
        ai.djl.nn.Block block = LOGISTIC.build(classes, 0);
        block.initialize(head.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, width));
        for (int i = 0; i < block.getParameters().size(); i++) {
            Weights.assign(block.getParameters().valueAt(i).getArray(), trained.getParameters().valueAt(i).getArray().toFloatArray());
        }
        head.setBlock(block);
        return head;
    }
}
