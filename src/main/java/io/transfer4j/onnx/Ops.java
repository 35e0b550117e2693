package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.util.UserException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The op registry: one small function per ONNX op, each mapping its inputs to DJL NDArray
 * operations, so autograd runs through the whole graph. Shape arithmetic (Shape, Gather on
 * shapes, Concat, Reshape targets) runs on the same arrays and is read back where an op needs
 * concrete numbers.
 */
public final class Ops {
    /** Executes one node; returns its outputs in order. */
    @FunctionalInterface
    public interface Op {
        NDArray[] apply(OpCall c);
    }

    private static final Map<String, Op> REGISTRY = new TreeMap<>();

    static {
        binary("Add", NDArray::add);
        binary("Sub", NDArray::sub);
        binary("Mul", NDArray::mul);
        binary("Div", Ops::div);
        binary("Pow", (a, b) -> a.pow(b.toType(a.getDataType(), false)));
        binary("Equal", NDArray::eq);
        binary("Less", NDArray::lt);
        binary("Greater", NDArray::gt);
        REGISTRY.put("MatMul", c -> one(c.kernels().matMul(c.in(0), c.in(1))));
        unary("Sqrt", NDArray::sqrt);
        unary("Erf", NDArray::erf);
        unary("Tanh", NDArray::tanh);
        unary("Exp", NDArray::exp);
        unary("Log", NDArray::log);
        unary("Neg", NDArray::neg);
        unary("Abs", NDArray::abs);
        unary("Reciprocal", a -> a.getManager().create(1f).toType(a.getDataType(), false).div(a));
        unary("Relu", Activation::relu);
        unary("Sigmoid", Activation::sigmoid);
        unary("Identity", a -> a);
        unary("Not", NDArray::logicalNot);
        REGISTRY.put("Where", Ops::where);
        REGISTRY.put("Softmax", Ops::softmax);
        REGISTRY.put("LpNormalization", Ops::lpNormalization);
        REGISTRY.put("LayerNormalization", Ops::layerNormalization);
        REGISTRY.put("Gelu", Ops::gelu);
        REGISTRY.put("ReduceMean", c -> one(reduce(c, Reduction.MEAN)));
        REGISTRY.put("ReduceSum", c -> one(reduce(c, Reduction.SUM)));
        REGISTRY.put("ReduceMax", c -> one(reduce(c, Reduction.MAX)));
        REGISTRY.put("ReduceMin", c -> one(reduce(c, Reduction.MIN)));
        // Element-wise over any number of inputs, broadcast (TensorFlow's Maximum becomes a two-input Max).
        REGISTRY.put("Max", c -> one(fold(c, NDArray::maximum)));
        REGISTRY.put("Min", c -> one(fold(c, NDArray::minimum)));
        REGISTRY.put("Transpose", Ops::transpose);
        REGISTRY.put("Reshape", Ops::reshape);
        REGISTRY.put("Flatten", Ops::flatten);
        REGISTRY.put("Unsqueeze", Ops::unsqueeze);
        REGISTRY.put("Squeeze", Ops::squeeze);
        REGISTRY.put("Concat", c -> one(NDArrays.concat(new NDList(c.inputs()), (int) c.attrInt("axis", 0))));
        REGISTRY.put("Gather", Ops::gather);
        REGISTRY.put("Shape", Ops::shape);
        REGISTRY.put("Cast", c -> one(c.in(0).toType(Tensors.dataType((int) c.attrInt("to", 1)), false)));
        REGISTRY.put("Slice", Ops::slice);
        REGISTRY.put("Constant", Ops::constant);
        REGISTRY.put("ConstantOfShape", Ops::constantOfShape);
        REGISTRY.put("Expand", Ops::expand);
        REGISTRY.put("Gemm", Ops::gemm);
        REGISTRY.put("Dropout", Ops::dropout);
        REGISTRY.put("Pad", Ops::pad);
        CnnOps.register(REGISTRY);
    }

    private Ops() {}

    public static Set<String> supported() {
        return REGISTRY.keySet();
    }

    public static Op get(String opType) {
        return REGISTRY.get(opType);
    }

    private interface Bin {
        NDArray apply(NDArray a, NDArray b);
    }

    private interface Un {
        NDArray apply(NDArray a);
    }

    private static void binary(String name, Bin f) {
        REGISTRY.put(name, c -> one(f.apply(c.in(0), c.in(1))));
    }

    private static void unary(String name, Un f) {
        REGISTRY.put(name, c -> one(f.apply(c.in(0))));
    }

    private static NDArray[] one(NDArray a) {
        return new NDArray[] {a};
    }

    private static boolean integer(NDArray a) {
        DataType t = a.getDataType();
        return t.isInteger();
    }

    /** Integer division truncates, as ONNX (and C) define it; PyTorch's div would return floats. */
    private static NDArray div(NDArray a, NDArray b) {
        if (integer(a) && integer(b)) {
            return a.toType(DataType.FLOAT64, false).div(b.toType(DataType.FLOAT64, false)).toType(a.getDataType(), false);
        }
        return a.div(b);
    }

    /** ONNX Where broadcasts its three inputs together; DJL's PyTorch where needs them expanded first. */
    private static NDArray[] where(OpCall c) {
        NDArray cond = c.in(0);
        NDArray x = c.in(1);
        NDArray y = c.in(2);
        Shape shape = broadcastShape(broadcastShape(cond.getShape(), x.getShape()), y.getShape());
        return one(NDArrays.where(expandTo(cond, shape), expandTo(x, shape), expandTo(y, shape)));
    }

    private static NDArray expandTo(NDArray a, Shape shape) {
        return a.getShape().equals(shape) ? a : a.broadcast(shape);
    }

    static Shape broadcastShape(Shape a, Shape b) {
        int rank = Math.max(a.dimension(), b.dimension());
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.dimension());
            int ib = i - (rank - b.dimension());
            long da = ia < 0 ? 1 : a.get(ia);
            long db = ib < 0 ? 1 : b.get(ib);
            if (da != db && da != 1 && db != 1) {
                throw new UserException("shapes " + a + " and " + b + " do not broadcast; the model's inputs have the wrong shape");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    private static NDArray[] softmax(OpCall c) {
        NDArray x = c.in(0);
        int rank = x.getShape().dimension();
        long dflt = c.opset() >= 13 ? -1 : 1;
        int axis = (int) norm(c.attrInt("axis", dflt), rank);
        if (c.opset() >= 13 || axis == rank - 1) {
            return one(x.softmax(axis));
        }
        // Before opset 13 softmax ran over all dimensions from axis on, flattened.
        Shape s = x.getShape();
        return one(x.reshape(s.slice(0, axis).size(), -1).softmax(1).reshape(s));
    }

    /**
     * ONNX LayerNormalization (opset 17): normalised over the dimensions from {@code axis} on.
     * With only Y asked for, the last axis normalised and Scale/B of its size, one fused libtorch layer_norm,
     * whose backward saves only the statistics (the exporter's decomposed form, which
     * {@link Fusion} rewrites into this op, saves four full-size tensors per norm).
     */
    private static NDArray[] layerNormalization(OpCall c) {
        NDArray x = c.in(0);
        Shape s = x.getShape();
        int axis = (int) norm(c.attrInt("axis", -1), s.dimension());
        float eps = c.attrFloat("epsilon", 1e-5f);
        Shape normalized = s.slice(axis);
        NDArray scale = c.in(1);
        NDArray bias = c.in(2);
        // libtorch's kernel as DJL binds it normalises one trailing dimension only
        boolean fusable = c.node().getOutputCount() == 1 && normalized.dimension() == 1
                && (x.getDataType() == DataType.FLOAT32 || x.getDataType() == DataType.FLOAT64)
                && scale.getShape().equals(normalized)
                && (bias == null || bias.getShape().equals(normalized));
        if (fusable) {
            NDArray b = bias != null ? bias : scale.zerosLike();
            return one(ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, scale, b, eps).head());
        }
        // the normalised dimensions are trailing: flatten them into one, as DJL reduces one axis at a time
        long[] kept = new long[s.dimension()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = i < axis ? s.get(i) : 1;
        }
        NDArray flat = x.reshape(s.slice(0, axis).size(), -1);
        NDArray mean = flat.mean(new int[] {1}, true);
        NDArray d = flat.sub(mean);
        NDArray inv = d.square().mean(new int[] {1}, true).add(eps).sqrt().getNDArrayInternal().rdiv(1);
        NDArray y = d.mul(inv).reshape(s).mul(scale);
        if (bias != null) {
            y = y.add(bias);
        }
        mean = mean.reshape(new Shape(kept));
        inv = inv.reshape(new Shape(kept));
        return new NDArray[] {y, mean, inv};
    }

    /** ONNX Gelu (opset 20): exact (erf) by default, or the tanh approximation; libtorch's fused kernel for the exact one. */
    private static NDArray[] gelu(OpCall c) {
        NDArray x = c.in(0);
        AttributeProto a = c.attr("approximate");
        String approximate = a == null ? "none" : a.getS().toStringUtf8();
        if (approximate.equals("none")) {
            return one(Activation.gelu(x));
        }
        if (!approximate.equals("tanh")) {
            throw new UserException("Gelu with approximate='" + approximate + "' (ONNX allows none or tanh)");
        }
        // 0.5 x (1 + tanh(z)) = x sigmoid(2z), z = sqrt(2/pi) (x + 0.044715 x^3): autograd keeps x and the
        // sigmoid for backward, where the tanh spelling kept eight [tokens, 3072] tensors per BERT layer
        // (this libtorch's aten::gelu has no tanh form).
        NDArray z2 = x.add(x.pow(3).mul(0.044715f)).mul((float) (2 * Math.sqrt(2 / Math.PI)));
        return one(x.mul(Activation.sigmoid(z2)));
    }

    /** x divided by its L1 or L2 norm along {@code axis} (ONNX's definition: no epsilon, a zero row gives NaN as in ONNX Runtime). */
    private static NDArray[] lpNormalization(OpCall c) {
        NDArray x = c.in(0);
        int axis = (int) norm(c.attrInt("axis", -1), x.getShape().dimension());
        long p = c.attrInt("p", 2);
        NDArray n = p == 1 ? x.abs().sum(new int[] {axis}, true) : x.square().sum(new int[] {axis}, true).sqrt();
        if (p != 1 && p != 2) {
            throw new UnsupportedOperationException("LpNormalization with p=" + p + " (ONNX allows 1 or 2)");
        }
        return one(x.div(n));
    }

    private enum Reduction { MEAN, SUM, MAX, MIN }

    private static NDArray fold(OpCall c, Bin f) {
        NDArray r = c.in(0);
        for (int i = 1; i < c.inputs().length; i++) {
            r = f.apply(r, c.in(i));
        }
        return r;
    }

    private static NDArray reduce(OpCall c, Reduction kind) {
        NDArray x = c.in(0);
        int rank = x.getShape().dimension();
        long[] axes = c.intsFromInputOrAttr(1, "axes");
        boolean keep = c.attrInt("keepdims", 1) == 1;
        if (axes == null || axes.length == 0) {
            if (c.attrInt("noop_with_empty_axes", 0) == 1) {
                return x;
            }
            axes = new long[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        int[] ax = Arrays.stream(axes).mapToInt(a -> (int) norm(a, rank)).distinct().sorted().toArray();
        return switch (kind) {
            case MEAN -> mean(x, ax, keep);
            case SUM -> x.sum(ax, keep);
            case MAX -> byAxis(x, ax, keep, NDArray::max);
            case MIN -> byAxis(x, ax, keep, NDArray::min);
        };
    }

    /** A reduction DJL's PyTorch does over one axis at a time, over several: a max of maxes is the max. */
    private static NDArray byAxis(NDArray x, int[] axes, boolean keep, java.util.function.BiFunction<NDArray, int[], NDArray> f) {
        NDArray r = x;
        for (int a : axes) {
            r = keepDims(f, r, a);
        }
        return keep ? r : r.squeeze(axes);
    }

    private static NDArray keepDims(java.util.function.BiFunction<NDArray, int[], NDArray> f, NDArray x, int axis) {
        return f.apply(x, new int[] {axis}).expandDims(axis);
    }

    /** Mean over several axes; DJL's PyTorch mean takes one at a time, and a mean of equal-sized means is the mean. */
    static NDArray mean(NDArray x, int[] axes, boolean keep) {
        if (axes.length == 1) {
            return x.mean(axes, keep);
        }
        int[] ax = Arrays.stream(axes).sorted().toArray();
        NDArray r = x;
        for (int k = ax.length - 1; k >= 0; k--) {
            r = r.mean(new int[] {ax[k]}, true);
        }
        return keep ? r : r.squeeze(ax);
    }

    private static NDArray[] transpose(OpCall c) {
        NDArray x = c.in(0);
        long[] perm = c.attrInts("perm");
        if (perm == null) {
            return one(x.transpose());
        }
        return one(x.transpose(Arrays.stream(perm).mapToInt(p -> (int) p).toArray()));
    }

    private static NDArray[] reshape(OpCall c) {
        NDArray x = c.in(0);
        long[] target = c.in(1).toLongArray();
        boolean allowZero = c.attrInt("allowzero", 0) == 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) {
                target[i] = x.getShape().get(i);
            }
        }
        return one(x.reshape(new Shape(target)));
    }

    private static NDArray[] flatten(OpCall c) {
        NDArray x = c.in(0);
        int axis = (int) norm(c.attrInt("axis", 1), x.getShape().dimension());
        return one(x.reshape(x.getShape().slice(0, axis).size(), x.getShape().slice(axis).size()));
    }

    private static NDArray[] unsqueeze(OpCall c) {
        NDArray x = c.in(0);
        long[] axes = c.intsFromInputOrAttr(1, "axes");
        int outRank = x.getShape().dimension() + axes.length;
        long[] sorted = Arrays.stream(axes).map(a -> norm(a, outRank)).sorted().toArray();
        for (long a : sorted) {
            x = x.expandDims((int) a);
        }
        return one(x);
    }

    private static NDArray[] squeeze(OpCall c) {
        NDArray x = c.in(0);
        long[] axes = c.intsFromInputOrAttr(1, "axes");
        if (axes == null) {
            return one(x.squeeze());
        }
        int rank = x.getShape().dimension();
        return one(x.squeeze(Arrays.stream(axes).mapToInt(a -> (int) norm(a, rank)).toArray()));
    }

    /** numpy.take along an axis: data[..., indices, ...], with negative indices counted from the end. */
    private static NDArray[] gather(OpCall c) {
        NDArray data = c.in(0);
        NDArray idx = c.in(1);
        int rank = data.getShape().dimension();
        int axis = (int) norm(c.attrInt("axis", 0), rank);
        long dim = data.getShape().get(axis);
        if (idx.getShape().dimension() == 0) {
            long i = idx.toLongArray()[0];
            StringBuilder spec = new StringBuilder();
            for (int k = 0; k < axis; k++) {
                spec.append(":,");
            }
            spec.append(i < 0 ? i + dim : i);
            return one(data.get(new NDIndex(spec.toString())));
        }
        NDArray ids = idx.toType(DataType.INT64, false);
        if (ids.lt(0).any().getBoolean()) {
            ids = NDArrays.where(ids.lt(0), ids.add(dim), ids);
        }
        if (axis == 0 && rank == 2 && data.getDataType().isFloating()) {
            // embedding lookup: the common case, with a well-tested gradient
            return one(Embedding.embedding(ids, data, SparseFormat.DENSE).singletonOrThrow());
        }
        int[] perm = new int[rank];
        perm[0] = axis;
        for (int k = 0, j = 1; k < rank; k++) {
            if (k != axis) {
                perm[j++] = k;
            }
        }
        NDArray moved = axis == 0 ? data : data.transpose(perm);
        NDArray picked = moved.get(new NDIndex("{}", ids.flatten()));
        Shape idxShape = ids.getShape();
        Shape rest = moved.getShape().slice(1);
        NDArray r = picked.reshape(idxShape.addAll(rest));
        if (axis == 0) {
            return one(r);
        }
        int q = idxShape.dimension();
        int[] back = new int[r.getShape().dimension()];
        int j = 0;
        for (int k = 0; k < axis; k++) {
            back[j++] = q + k;
        }
        for (int k = 0; k < q; k++) {
            back[j++] = k;
        }
        for (int k = q + axis; k < back.length; k++) {
            back[j++] = k;
        }
        return one(r.transpose(back));
    }

    private static NDArray[] shape(OpCall c) {
        long[] s = c.in(0).getShape().getShape();
        int rank = s.length;
        int start = (int) Math.max(0, Math.min(rank, norm(c.attrInt("start", 0), rank)));
        AttributeProto endAttr = c.attr("end");
        int end = endAttr == null ? rank : (int) Math.max(0, Math.min(rank, norm(endAttr.getI(), rank)));
        return one(owned(c.manager().create(Arrays.copyOfRange(s, start, Math.max(start, end)))));
    }

    /**
     * A copy in memory libtorch owns. DJL's create wraps a Java direct buffer without copying, and
     * the buffer is collectable once that NDArray is closed, while slices, squeezes and broadcasts
     * taken from it live on as views of it: a Shape read by every layer's reshape, released after
     * its first reader, gave a BERT layer garbage dimensions once the collector had run.
     */
    static NDArray owned(NDArray fromJava) {
        NDArray copy = fromJava.duplicate();
        fromJava.close();
        return copy;
    }

    private static NDArray[] slice(OpCall c) {
        NDArray x = c.in(0);
        long[] starts = c.intsFromInputOrAttr(1, "starts");
        long[] ends = c.intsFromInputOrAttr(2, "ends");
        long[] axes = c.intsFromInputOrAttr(3, "axes");
        long[] steps = c.in(4) != null ? c.in(4).toLongArray() : null;
        int rank = x.getShape().dimension();
        String[] spec = new String[rank];
        Arrays.fill(spec, ":");
        for (int i = 0; i < starts.length; i++) {
            int axis = (int) norm(axes == null ? i : axes[i], rank);
            long dim = x.getShape().get(axis);
            long step = steps == null ? 1 : steps[i];
            if (step <= 0) {
                throw new UserException(c.describe() + " slices with step " + step + "; only positive steps are supported yet");
            }
            long s = clamp(starts[i] < 0 ? starts[i] + dim : starts[i], 0, dim);
            long e = clamp(ends[i] < 0 ? ends[i] + dim : ends[i], 0, dim);
            spec[axis] = s + ":" + Math.max(s, e) + (step == 1 ? "" : ":" + step);
        }
        return one(x.get(new NDIndex(String.join(",", spec))));
    }

    private static NDArray[] constant(OpCall c) {
        AttributeProto a = c.node().getAttribute(0);
        NDArray v = switch (a.getName()) {
            case "value" -> Tensors.toNDArray(c.manager(), a.getT(), c.file());
            case "value_float" -> c.manager().create(a.getF());
            case "value_floats" -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = a.getFloats(i);
                }
                yield c.manager().create(f);
            }
            case "value_int" -> c.manager().create(a.getI());
            case "value_ints" -> c.manager().create(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            default -> throw new UserException(c.describe() + " uses attribute " + a.getName() + ", which is not supported yet");
        };
        return one(owned(v));
    }

    private static NDArray[] constantOfShape(OpCall c) {
        long[] shape = c.in(0).toLongArray();
        AttributeProto v = c.attr("value");
        NDArray value = v == null ? c.manager().create(0f) : Tensors.toNDArray(c.manager(), v.getT(), c.file());
        return one(value.reshape(new Shape()).broadcast(new Shape(shape)).duplicate());
    }

    private static NDArray[] expand(OpCall c) {
        NDArray x = c.in(0);
        long[] want = c.in(1).toLongArray();
        long[] have = x.getShape().getShape();
        int rank = Math.max(want.length, have.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long a = i - (rank - have.length) >= 0 ? have[i - (rank - have.length)] : 1;
            long b = i - (rank - want.length) >= 0 ? want[i - (rank - want.length)] : 1;
            out[i] = a == 1 ? b : a;
        }
        return one(x.broadcast(new Shape(out)));
    }

    private static NDArray[] gemm(OpCall c) {
        NDArray a = c.attrInt("transA", 0) == 1 ? c.in(0).transpose() : c.in(0);
        NDArray b = c.attrInt("transB", 0) == 1 ? c.in(1).transpose() : c.in(1);
        NDArray y = c.kernels().matMul(a, b);
        float alpha = c.attrFloat("alpha", 1f);
        if (alpha != 1f) {
            y = y.mul(alpha);
        }
        if (c.in(2) != null) {
            float beta = c.attrFloat("beta", 1f);
            y = y.add(beta == 1f ? c.in(2) : c.in(2).mul(beta));
        }
        return one(y);
    }

    /** Active only while training (and never in a node whose weights are frozen); identity otherwise. */
    private static NDArray[] dropout(OpCall c) {
        NDArray x = c.in(0);
        float ratio = c.opset() >= 12 ? (c.in(1) == null ? 0.5f : c.in(1).toType(DataType.FLOAT32, false).toFloatArray()[0])
                : c.attrFloat("ratio", 0.5f);
        boolean training = c.training() || (c.in(2) != null && c.in(2).toType(DataType.INT32, false).toIntArray()[0] != 0);
        if (c.node().getOutputCount() > 1 && !c.node().getOutput(1).isEmpty()) {
            throw new UserException(c.describe() + " asks for the dropout mask; not supported yet");
        }
        if (!training || ratio == 0f) {
            return one(x);
        }
        return one(ai.djl.nn.norm.Dropout.dropout(x, ratio, true).head());
    }

    /** Pad: constant, reflect or edge, with pads [x1_begin, x2_begin, ..., x1_end, x2_end]. */
    private static NDArray[] pad(OpCall c) {
        NDArray x = c.in(0);
        long[] pads = c.intsFromInputOrAttr(1, "pads");
        String mode = c.attr("mode") == null ? "constant" : c.attr("mode").getS().toStringUtf8();
        if (!mode.equals("constant")) {
            throw new UserException(c.describe() + " pads in mode " + mode + "; only constant padding is supported yet");
        }
        double value = c.opset() >= 11 ? (c.in(2) == null ? 0 : c.in(2).toType(DataType.FLOAT64, false).toDoubleArray()[0])
                : c.attrFloat("value", 0f);
        int rank = x.getShape().dimension();
        long[] axes = c.in(3) != null ? c.in(3).toLongArray() : null;
        long[] begin = new long[rank];
        long[] end = new long[rank];
        int n = pads.length / 2;
        for (int i = 0; i < n; i++) {
            int axis = (int) norm(axes == null ? i : axes[i], rank);
            begin[axis] = pads[i];
            end[axis] = pads[i + n];
        }
        for (int i = 0; i < rank; i++) {
            if (begin[i] < 0 || end[i] < 0) {
                throw new UserException(c.describe() + " has negative pads (cropping); not supported yet");
            }
        }
        return one(x.pad(CnnOps.torchPad(begin, end), value));
    }

    private static long norm(long axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
