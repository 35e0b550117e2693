package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.util.UserException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** ONNX tensors to DJL arrays and back, for the element types the interpreter executes. */
public final class Tensors {
    private Tensors() {}

    public static Shape shape(TensorProto t) {
        return new Shape(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }

    public static NDArray toNDArray(NDManager m, TensorProto t, OnnxFile file) {
        Shape s = shape(t);
        int n = (int) s.size();
        boolean raw = t.hasRawData() || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
        ByteBuffer bytes = raw ? ByteBuffer.wrap(file.rawData(t)).order(ByteOrder.LITTLE_ENDIAN) : null;
        switch (TensorProto.DataType.forNumber(t.getDataType())) {
            case FLOAT: {
                float[] v = new float[n];
                if (raw) {
                    bytes.asFloatBuffer().get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getFloatData(i);
                    }
                }
                return m.create(v, s);
            }
            case DOUBLE: {
                double[] v = new double[n];
                if (raw) {
                    bytes.asDoubleBuffer().get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getDoubleData(i);
                    }
                }
                return m.create(v, s);
            }
            case INT64: {
                long[] v = new long[n];
                if (raw) {
                    bytes.asLongBuffer().get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getInt64Data(i);
                    }
                }
                return m.create(v, s);
            }
            case INT32: {
                int[] v = new int[n];
                if (raw) {
                    bytes.asIntBuffer().get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getInt32Data(i);
                    }
                }
                return m.create(v, s);
            }
            case INT8:
            case UINT8:
            case BOOL: {
                byte[] v = new byte[n];
                if (raw) {
                    bytes.get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = (byte) t.getInt32Data(i);
                    }
                }
                DataType dt = switch (TensorProto.DataType.forNumber(t.getDataType())) {
                    case INT8 -> DataType.INT8;
                    case UINT8 -> DataType.UINT8;
                    default -> DataType.BOOLEAN;
                };
                return m.create(ByteBuffer.wrap(v), s, dt);
            }
            default:
                throw new UserException("tensor " + t.getName() + " has element type "
                        + TensorTypes.name(t.getDataType()) + ", which transfer4j cannot read yet");
        }
    }

    /** DJL type for an ONNX element type (Cast's "to"). */
    public static DataType dataType(int onnxType) {
        return switch (TensorProto.DataType.forNumber(onnxType)) {
            case FLOAT -> DataType.FLOAT32;
            case DOUBLE -> DataType.FLOAT64;
            case FLOAT16 -> DataType.FLOAT16;
            // DJL 0.36's PyTorch engine aborts the whole JVM on a cast to bfloat16: refuse it cleanly.
            case BFLOAT16 -> throw new UserException("element type bfloat16 is not supported yet");
            case INT64 -> DataType.INT64;
            case INT32 -> DataType.INT32;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
            default -> throw new UserException("element type " + TensorTypes.name(onnxType) + " is not supported yet");
        };
    }
}
