package io.transfer4j.tensorflow;

import static io.transfer4j.tensorflow.TfNode.intAttr;
import static io.transfer4j.tensorflow.TfNode.intsAttr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The TensorFlow op registry: one small function per op, each emitting the ONNX nodes that compute
 * the same thing. Shape arithmetic stays in the graph (Shape, StridedSlice, Pack become Shape,
 * Slice, Unsqueeze + Concat), so imported graphs keep dynamic batch and sequence sizes.
 */
final class TfOps {
    @FunctionalInterface
    interface Converter {
        void convert(TfNode n);
    }

    private static final long INT64_MAX = Long.MAX_VALUE;
    private static final Map<String, Converter> REGISTRY = new TreeMap<>();

    static {
        for (String op : List.of("Identity", "StopGradient", "ReadVariableOp", "Snapshot", "PreventGradient", "PlaceholderWithDefault")) {
            REGISTRY.put(op, n -> n.alias(0, n.in(0)));
        }
        elementwise("Add", "Add");
        elementwise("AddV2", "Add");
        elementwise("Sub", "Sub");
        elementwise("Mul", "Mul");
        elementwise("RealDiv", "Div");
        elementwise("Maximum", "Max");
        elementwise("Minimum", "Min");
        elementwise("Pow", "Pow");
        elementwise("Equal", "Equal");
        elementwise("Less", "Less");
        elementwise("Greater", "Greater");
        for (String op : List.of("Tanh", "Sqrt", "Exp", "Log", "Neg", "Abs", "Relu", "Sigmoid", "Erf", "Reciprocal")) {
            elementwise(op, op);
        }
        elementwise("Inv", "Reciprocal");
        REGISTRY.put("Rsqrt", n -> n.emit("Reciprocal", List.of(n.helper("Sqrt", List.of(n.in(0))))));
        REGISTRY.put("Square", n -> n.emit("Mul", List.of(n.in(0), n.in(0))));
        REGISTRY.put("SquaredDifference", n -> {
            String d = n.helper("Sub", List.of(n.in(0), n.in(1)));
            n.emit("Mul", List.of(d, d));
        });
        REGISTRY.put("Relu6", n -> n.emit("Clip", List.of(n.in(0), n.constantScalarFloat(0f), n.constantScalarFloat(6f))));
        REGISTRY.put("AddN", n -> {
            String acc = n.in(0);
            for (int i = 1; i < n.inputCount(); i++) {
                acc = i == n.inputCount() - 1 ? n.emit("Add", List.of(acc, n.in(i))) : n.helper("Add", List.of(acc, n.in(i)));
            }
            if (n.inputCount() == 1) {
                n.alias(0, acc);
            }
        });
        REGISTRY.put("BiasAdd", TfOps::biasAdd);
        REGISTRY.put("Softmax", n -> n.emit("Softmax", List.of(n.in(0)), intAttr("axis", -1)));
        REGISTRY.put("MatMul", n -> matMul(n, n.attrBool("transpose_a", false), n.attrBool("transpose_b", false)));
        for (String op : List.of("BatchMatMul", "BatchMatMulV2", "BatchMatMulV3")) {
            REGISTRY.put(op, n -> matMul(n, n.attrBool("adj_x", false), n.attrBool("adj_y", false)));
        }
        reduction("Mean", "ReduceMean");
        reduction("Sum", "ReduceSum");
        reduction("Max", "ReduceMax");
        reduction("Min", "ReduceMin");
        REGISTRY.put("Reshape", n -> n.emit("Reshape", List.of(n.in(0), n.in(1))));
        REGISTRY.put("Shape", n -> n.emit("Shape", List.of(n.in(0))));
        REGISTRY.put("Cast", n -> n.emit("Cast", List.of(n.in(0)), intAttr("to", TfTensors.onnxType(n.attrType("DstT"), n.def().getName()))));
        REGISTRY.put("Transpose", n -> n.emit("Transpose", List.of(n.in(0)), intsAttr("perm", n.requireConstInts(1, "the permutation"))));
        REGISTRY.put("ExpandDims", n -> n.emit("Unsqueeze", List.of(n.in(0), n.constantVector(n.requireConstInts(1, "the axis")))));
        REGISTRY.put("Squeeze", TfOps::squeeze);
        REGISTRY.put("Pack", TfOps::pack);
        REGISTRY.put("ConcatV2", n -> {
            long axis = n.requireConstInts(n.inputCount() - 1, "the axis")[0];
            List<String> ins = new ArrayList<>();
            for (int i = 0; i < n.inputCount() - 1; i++) {
                ins.add(n.in(i));
            }
            n.emit("Concat", ins, intAttr("axis", axis));
        });
        REGISTRY.put("Fill", n -> n.emit("Expand", List.of(n.in(1), n.in(0))));
        REGISTRY.put("GatherV2", n -> gather(n, n.requireConstInts(2, "the axis")[0]));
        REGISTRY.put("ResourceGather", n -> gather(n, 0));
        REGISTRY.put("Gather", n -> gather(n, 0));
        REGISTRY.put("OneHot", TfOps::oneHot);
        REGISTRY.put("Slice", TfOps::slice);
        REGISTRY.put("StridedSlice", TfOps::stridedSlice);
    }

    private TfOps() {}

    static Converter get(String op) {
        return REGISTRY.get(op);
    }

    static Set<String> supported() {
        return REGISTRY.keySet();
    }

    private static void elementwise(String tf, String onnx) {
        REGISTRY.put(tf, n -> {
            List<String> ins = new ArrayList<>();
            for (int i = 0; i < n.inputCount(); i++) {
                ins.add(n.in(i));
            }
            n.emit(onnx, ins);
        });
    }

    private static void reduction(String tf, String onnx) {
        REGISTRY.put(tf, n -> {
            long[] axes = n.requireConstInts(1, "the reduction axes").clone();
            long keep = n.attrBool("keep_dims", false) ? 1 : 0;
            int rank = n.rank(0);
            for (int i = 0; i < axes.length && rank > 0; i++) {
                // counted from the end, as exporters write a layer norm's axis (-1), so the interpreter fuses it
                axes[i] = axes[i] >= 0 ? axes[i] - rank : axes[i];
            }
            if (onnx.equals("ReduceSum")) {
                n.emit(onnx, List.of(n.in(0), n.constantVector(axes)), intAttr("keepdims", keep));
            } else {
                n.emit(onnx, List.of(n.in(0)), intsAttr("axes", axes), intAttr("keepdims", keep));
            }
        });
    }

    private static void biasAdd(TfNode n) {
        String format = n.attrString("data_format", "NHWC");
        if (format.equals("NHWC") || format.isEmpty()) {
            n.emit("Add", List.of(n.in(0), n.in(1)));
            return;
        }
        // NCHW: the bias runs along axis 1, so it gets a trailing 1 per spatial dimension.
        int rank = n.requireRank(0);
        long[] axes = new long[rank - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        String b = axes.length == 0 ? n.in(1) : n.helper("Unsqueeze", List.of(n.in(1), n.constantVector(axes)));
        n.emit("Add", List.of(n.in(0), b));
    }

    private static void matMul(TfNode n, boolean transA, boolean transB) {
        String a = transA ? swapLast(n, 0) : n.in(0);
        String b = transB ? swapLast(n, 1) : n.in(1);
        n.emit("MatMul", List.of(a, b));
    }

    private static String swapLast(TfNode n, int input) {
        int rank = n.requireRank(input);
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 1] = rank - 2;
        perm[rank - 2] = rank - 1;
        return n.helper("Transpose", List.of(n.in(input)), intsAttr("perm", perm));
    }

    private static void squeeze(TfNode n) {
        long[] axes = n.attrInts("squeeze_dims");
        if (axes.length == 0) {
            axes = n.attrInts("axis");
        }
        n.emit("Squeeze", axes.length == 0 ? List.of(n.in(0)) : List.of(n.in(0), n.constantVector(axes)));
    }

    private static void pack(TfNode n) {
        long axis = n.attrInt("axis", 0);
        List<String> parts = new ArrayList<>();
        String axes = n.constantVector(axis);
        for (int i = 0; i < n.inputCount(); i++) {
            parts.add(n.helper("Unsqueeze", List.of(n.in(i), axes)));
        }
        n.emit("Concat", parts, intAttr("axis", axis));
    }

    private static void gather(TfNode n, long axis) {
        if (n.attrInt("batch_dims", 0) != 0) {
            throw n.unsupported("batch_dims other than 0");
        }
        n.emit("Gather", List.of(n.in(0), n.in(1)), intAttr("axis", axis));
    }

    /** one_hot(i, depth, on, off) as where(i[..., None] == arange(depth), on, off). */
    private static void oneHot(TfNode n) {
        if (n.attrInt("axis", -1) != -1) {
            throw n.unsupported("one-hot along an axis other than the last");
        }
        long depth = n.requireConstInts(1, "the depth")[0];
        long[] range = new long[(int) depth];
        for (int i = 0; i < depth; i++) {
            range[i] = i;
        }
        String idx = n.helper("Unsqueeze", List.of(n.in(0), n.constantVector(-1)));
        String eq = n.helper("Equal", List.of(idx, n.constantVector(range)));
        n.emit("Where", List.of(eq, n.in(2), n.in(3)));
    }

    /** Slice(x, begin, size): a size of -1 runs to the end. */
    private static void slice(TfNode n) {
        long[] begin = n.constInts(1);
        long[] size = n.constInts(2);
        String ends;
        if (begin != null && size != null) {
            long[] e = new long[begin.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = size[i] < 0 ? INT64_MAX : begin[i] + size[i];
            }
            ends = n.constantVector(e);
        } else {
            String sum = n.helper("Add", List.of(n.in(1), n.in(2)));
            String toEnd = n.helper("Equal", List.of(n.in(2), n.constantVector(-1)));
            ends = n.helper("Where", List.of(toEnd, n.constantVector(INT64_MAX), sum));
        }
        n.emit("Slice", List.of(n.in(0), n.in(1), ends));
    }

    private static void stridedSlice(TfNode n) {
        if (n.attrInt("ellipsis_mask", 0) != 0 || n.attrInt("new_axis_mask", 0) != 0) {
            throw n.unsupported("ellipsis and new-axis masks");
        }
        long[] begin = n.requireConstInts(1, "begin");
        long[] end = n.requireConstInts(2, "end");
        long[] strides = n.requireConstInts(3, "strides");
        long beginMask = n.attrInt("begin_mask", 0);
        long endMask = n.attrInt("end_mask", 0);
        long shrink = n.attrInt("shrink_axis_mask", 0);
        int k = begin.length;
        long[] starts = new long[k];
        long[] ends = new long[k];
        long[] axes = new long[k];
        List<Long> squeezed = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            axes[i] = i;
            boolean backwards = strides[i] < 0;
            starts[i] = (beginMask >> i & 1) == 1 ? (backwards ? -1 : 0) : begin[i];
            ends[i] = (endMask >> i & 1) == 1 ? (backwards ? Long.MIN_VALUE : INT64_MAX) : end[i];
            if ((shrink >> i & 1) == 1) {
                starts[i] = begin[i];
                ends[i] = begin[i] == -1 ? INT64_MAX : begin[i] + 1;
                strides[i] = 1;
                squeezed.add((long) i);
            }
        }
        List<String> ins = List.of(n.in(0), n.constantVector(starts), n.constantVector(ends), n.constantVector(axes), n.constantVector(strides));
        if (squeezed.isEmpty()) {
            n.emit("Slice", ins);
            return;
        }
        String sliced = n.helper("Slice", ins);
        n.emit("Squeeze", List.of(sliced, n.constantVector(squeezed.stream().mapToLong(Long::longValue).toArray())));
    }
}
