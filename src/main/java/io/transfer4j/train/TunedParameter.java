package io.transfer4j.train;

import ai.djl.nn.Parameter;

/**
 * One parameter of a model being trained, with what strategies need to know about it.
 *
 * @param key unique path of the parameter in its block (stable across runs of the same model)
 * @param group structural group ("embeddings", "encoder.layer.3", "head")
 * @param depth position of the group from the input (0) up to the head (the largest)
 */
public record TunedParameter(String key, Parameter parameter, String group, int depth, Role role) {
    public enum Role {
        /** Pre-trained weights of the backbone. */
        BODY,
        /** Weights added for parameter-efficient tuning (LoRA factors). */
        ADAPTER,
        /** The new output layer. */
        HEAD
    }

    /** A matrix (or higher): decayed by weight decay. Vectors are biases and norm scales, never decayed. */
    public boolean isMatrix() {
        return parameter.getArray().getShape().dimension() >= 2;
    }

    /** A bias vector (BitFit's only trainable body weights); norm scales are vectors too but are not biases. */
    public boolean isBias() {
        String n = parameter.getName().toLowerCase(java.util.Locale.ROOT);
        return !isMatrix() && !n.endsWith("weight") && !n.endsWith("gamma") && !n.contains("norm")
                && parameter.getType() != Parameter.Type.RUNNING_MEAN && parameter.getType() != Parameter.Type.RUNNING_VAR;
    }

    /** State, not weights: BatchNorm running statistics. */
    public boolean isState() {
        return parameter.getType() == Parameter.Type.RUNNING_MEAN || parameter.getType() == Parameter.Type.RUNNING_VAR;
    }
}
