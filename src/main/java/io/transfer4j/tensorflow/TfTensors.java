package io.transfer4j.tensorflow;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.transfer4j.onnx.proto.Onnx;
import io.transfer4j.tensorflow.proto.Tf;
import io.transfer4j.tensorflow.proto.Tf.DataType;
import io.transfer4j.util.UserException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * TensorFlow tensors as ONNX tensors. 32-bit integers become 64-bit ones: ONNX's shape ops
 * (Shape, Slice, Reshape targets) work in int64, and TensorFlow graphs do their shape arithmetic
 * in int32, so widening every int32 keeps the two kinds of arithmetic in one type.
 */
final class TfTensors {
    private TfTensors() {}

    static int onnxType(DataType t, String where) {
        return switch (t) {
            case DT_FLOAT, DT_FLOAT_REF -> Onnx.TensorProto.DataType.FLOAT_VALUE;
            case DT_DOUBLE, DT_DOUBLE_REF -> Onnx.TensorProto.DataType.DOUBLE_VALUE;
            case DT_INT32, DT_INT32_REF, DT_INT64, DT_INT64_REF, DT_INT16, DT_INT8, DT_UINT8, DT_UINT16 ->
                    Onnx.TensorProto.DataType.INT64_VALUE;
            case DT_BOOL, DT_BOOL_REF -> Onnx.TensorProto.DataType.BOOL_VALUE;
            case DT_HALF -> Onnx.TensorProto.DataType.FLOAT16_VALUE;
            default -> throw new UserException(where + " has TensorFlow type " + t + ", which cannot be imported");
        };
    }

    static long[] dims(Tf.TensorShapeProto s) {
        return s.getDimList().stream().mapToLong(Tf.TensorShapeProto.Dim::getSize).toArray();
    }

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    static Onnx.TensorProto longs(long[] values, long[] dims) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return Onnx.TensorProto.newBuilder().setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addAllDims(box(dims))
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    static Onnx.TensorProto floatScalar(float v) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
        return Onnx.TensorProto.newBuilder().setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    /** A weight read from a checkpoint: the bytes are TensorFlow's little-endian layout, which ONNX shares. */
    static Onnx.TensorProto weight(String name, DataType t, long[] dims, byte[] bytes) {
        int type = onnxType(t, "variable " + name);
        if (type != Onnx.TensorProto.DataType.FLOAT_VALUE && type != Onnx.TensorProto.DataType.DOUBLE_VALUE) {
            Onnx.TensorProto widened = longs(ints(t, bytes, name), dims);
            return widened.toBuilder().setName(name).build();
        }
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(type).addAllDims(box(dims))
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes)).build();
    }

    /** A Const node's value. */
    static Onnx.TensorProto fromConst(Tf.TensorProto t, String where) {
        long[] dims = dims(t.getTensorShape());
        long n = count(dims);
        int type = onnxType(t.getDtype(), where);
        Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder().setDataType(type).addAllDims(box(dims));
        if (type == Onnx.TensorProto.DataType.INT64_VALUE) {
            return longs(constInts(t, where), dims);
        }
        if (type == Onnx.TensorProto.DataType.FLOAT_VALUE) {
            float[] v = new float[(int) n];
            if (!t.getTensorContent().isEmpty()) {
                t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            } else {
                for (int i = 0; i < n; i++) {
                    // TensorFlow stores a constant of repeated values once: the last value fills the rest.
                    v[i] = t.getFloatValCount() == 0 ? 0 : t.getFloatVal(Math.min(i, t.getFloatValCount() - 1));
                }
            }
            ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(v);
            return b.setRawData(ByteString.copyFrom(bb.array())).build();
        }
        if (type == Onnx.TensorProto.DataType.BOOL_VALUE) {
            byte[] v = new byte[(int) n];
            if (!t.getTensorContent().isEmpty()) {
                t.getTensorContent().copyTo(v, 0);
            } else {
                for (int i = 0; i < n; i++) {
                    v[i] = (byte) (t.getBoolValCount() > 0 && t.getBoolVal(Math.min(i, t.getBoolValCount() - 1)) ? 1 : 0);
                }
            }
            return b.setRawData(ByteString.copyFrom(v)).build();
        }
        throw new UserException(where + " is a " + t.getDtype() + " constant, which cannot be imported");
    }

    /** An integer Const's values, widened to long. */
    static long[] constInts(Tf.TensorProto t, String where) {
        long[] dims = dims(t.getTensorShape());
        int n = (int) count(dims);
        if (!t.getTensorContent().isEmpty()) {
            return ints(t.getDtype(), t.getTensorContent().toByteArray(), where);
        }
        long[] v = new long[n];
        boolean wide = t.getDtype() == DataType.DT_INT64;
        int have = wide ? t.getInt64ValCount() : t.getIntValCount();
        for (int i = 0; i < n; i++) {
            int j = Math.min(i, have - 1);
            v[i] = have == 0 ? 0 : wide ? t.getInt64Val(j) : t.getIntVal(j);
        }
        return v;
    }

    private static long[] ints(DataType t, byte[] bytes, String where) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int width = switch (t) {
            case DT_INT64 -> 8;
            case DT_INT32 -> 4;
            case DT_INT16, DT_UINT16 -> 2;
            case DT_INT8, DT_UINT8 -> 1;
            default -> throw new UserException(where + " is a " + t + " tensor where integers were expected");
        };
        long[] v = new long[bytes.length / width];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (t) {
                case DT_INT64 -> b.getLong();
                case DT_INT32 -> b.getInt();
                case DT_INT16 -> b.getShort();
                case DT_UINT16 -> b.getShort() & 0xffff;
                case DT_INT8 -> b.get();
                default -> b.get() & 0xff;
            };
        }
        return v;
    }

    private static Iterable<Long> box(long[] dims) {
        return java.util.Arrays.stream(dims).boxed().toList();
    }
}
