package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;

/**
 * One node being executed: its inputs (null where an optional input is absent), attributes, and
 * the kernels its dense products run on (fp32 or bf16).
 */
public record OpCall(NodeProto node, NDArray[] inputs, NDManager manager, long opset, OnnxFile file, boolean training,
        DenseKernels kernels) {
    /** An fp32 call. */
    public OpCall(NodeProto node, NDArray[] inputs, NDManager manager, long opset, OnnxFile file, boolean training) {
        this(node, inputs, manager, opset, file, training, DenseKernels.FP32);
    }

    public NDArray in(int i) {
        return i < inputs.length ? inputs[i] : null;
    }

    public int inputCount() {
        return inputs.length;
    }

    public AttributeProto attr(String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    public long attrInt(String name, long dflt) {
        AttributeProto a = attr(name);
        return a == null ? dflt : a.getI();
    }

    public float attrFloat(String name, float dflt) {
        AttributeProto a = attr(name);
        return a == null ? dflt : a.getF();
    }

    public long[] attrInts(String name) {
        AttributeProto a = attr(name);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** An int64 list given either as input {@code index} (newer opsets) or as attribute {@code name}. */
    public long[] intsFromInputOrAttr(int index, String name) {
        NDArray a = in(index);
        return a != null ? a.toLongArray() : attrInts(name);
    }

    public String describe() {
        return node.getOpType() + " node '" + (node.getName().isEmpty() ? node.getOutput(0) : node.getName()) + "'";
    }
}
