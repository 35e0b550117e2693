package io.transfer4j.onnx;

import io.transfer4j.onnx.proto.Onnx.TensorProto;

/** ONNX element types by name. */
public final class TensorTypes {
    private TensorTypes() {}

    public static String name(int elemType) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(elemType);
        return t == null ? "type" + elemType : t.name().toLowerCase(java.util.Locale.ROOT);
    }
}
