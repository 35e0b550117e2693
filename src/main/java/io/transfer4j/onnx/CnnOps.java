package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.transfer4j.util.UserException;
import java.util.Arrays;
import java.util.Map;

/**
 * Convolutional-network ops (Conv, BatchNormalization, pooling, hard activations, Clip) on DJL's
 * functional layers, for 1-D and 2-D inputs. Padding that differs between the two sides of a
 * dimension is applied by an explicit pad before the op.
 */
final class CnnOps {
    private CnnOps() {}

    static void register(Map<String, Ops.Op> r) {
        r.put("Conv", CnnOps::conv);
        r.put("ConvTranspose", CnnOps::convTranspose);
        r.put("Resize", ResizeOp::apply);
        r.put("BatchNormalization", CnnOps::batchNorm);
        r.put("MaxPool", c -> pool(c, true));
        r.put("AveragePool", c -> pool(c, false));
        r.put("GlobalAveragePool", c -> one(Ops.mean(c.in(0), spatialAxes(c.in(0)), true)));
        r.put("GlobalMaxPool", c -> {
            NDArray x = c.in(0);
            for (int a : spatialAxes(x)) {
                x = x.max(new int[] {a}, true);
            }
            return one(x);
        });
        r.put("Clip", CnnOps::clip);
        r.put("HardSigmoid", c -> one(c.in(0).mul(c.attrFloat("alpha", 0.2f)).add(c.attrFloat("beta", 0.5f)).clip(0, 1)));
        r.put("HardSwish", c -> one(c.in(0).mul(c.in(0).div(6f).add(0.5f).clip(0, 1))));
        r.put("LeakyRelu", c -> {
            NDArray x = c.in(0);
            return one(ai.djl.nn.Activation.leakyRelu(x, c.attrFloat("alpha", 0.01f)));
        });
    }

    private static NDArray[] one(NDArray a) {
        return new NDArray[] {a};
    }

    private static int[] spatialAxes(NDArray x) {
        int rank = x.getShape().dimension();
        int[] ax = new int[rank - 2];
        for (int i = 2; i < rank; i++) {
            ax[i - 2] = i;
        }
        return ax;
    }

    /** Symmetric per-dimension padding for the op, after padding x explicitly where the sides differ. */
    private record Padded(NDArray x, long[] pads) {}

    private static Padded pads(OpCall c, NDArray x, long[] kernel, long[] strides, long[] dilations, double padValue) {
        int n = kernel.length;
        long[] begin = new long[n];
        long[] end = new long[n];
        padding(c, x, kernel, strides, dilations, begin, end);
        if (Arrays.equals(begin, end)) {
            return new Padded(x, begin);
        }
        return new Padded(x.pad(torchPad(begin, end), padValue), new long[n]);
    }

    private static long[] orOnes(long[] v, int n) {
        if (v != null) {
            return v;
        }
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        return ones;
    }

    private static NDArray[] conv(OpCall c) {
        NDArray x = c.in(0);
        NDArray w = c.in(1);
        int n = w.getShape().dimension() - 2;
        long[] kernel = w.getShape().slice(2).getShape();
        long[] strides = orOnes(c.attrInts("strides"), n);
        long[] dil = orOnes(c.attrInts("dilations"), n);
        int groups = (int) c.attrInt("group", 1);
        Padded p = pads(c, x, kernel, strides, dil, 0);
        if (n != 1 && n != 2) {
            throw new UserException(c.describe() + " is a " + n + "-D convolution; 1-D and 2-D are supported yet");
        }
        return one(c.kernels().conv(p.x(), w, c.in(2), strides, p.pads(), dil, groups));
    }

    private static NDArray[] convTranspose(OpCall c) {
        NDArray x = c.in(0);
        NDArray w = c.in(1);
        int n = w.getShape().dimension() - 2;
        long[] strides = orOnes(c.attrInts("strides"), n);
        long[] dil = orOnes(c.attrInts("dilations"), n);
        long[] pads = c.attrInts("pads");
        long[] outPad = c.attrInts("output_padding");
        if (c.attr("output_shape") != null || (c.attr("auto_pad") != null && !c.attr("auto_pad").getS().toStringUtf8().equals("NOTSET"))) {
            throw new UserException(c.describe() + " sets output_shape or auto_pad; only explicit pads are supported yet");
        }
        long[] sym = new long[n];
        if (pads != null) {
            for (int i = 0; i < n; i++) {
                if (pads[i] != pads[i + n]) {
                    throw new UserException(c.describe() + " pads the two sides differently; not supported yet");
                }
                sym[i] = pads[i];
            }
        }
        int groups = (int) c.attrInt("group", 1);
        if (groups != 1) {
            throw new UserException(c.describe() + " has " + groups + " groups; grouped transposed convolution is not supported yet");
        }
        // DJL's PyTorch engine has no deconvolution: a transposed convolution is a stride-1
        // convolution of the zero-interleaved input with the flipped, channel-swapped kernel.
        NDArray up = x;
        for (int i = 0; i < n; i++) {
            up = interleaveZeros(up, 2 + i, strides[i]);
        }
        long[] kernel = w.getShape().slice(2).getShape();
        long[] begin = new long[n];
        long[] end = new long[n];
        for (int i = 0; i < n; i++) {
            begin[i] = dil[i] * (kernel[i] - 1) - sym[i];
            end[i] = begin[i] + (outPad == null ? 0 : outPad[i]);
            if (begin[i] < 0) {
                throw new UserException(c.describe() + " pads more than its kernel covers; not supported yet");
            }
        }
        up = up.pad(torchPad(begin, end), 0);
        int[] spatial = new int[n];
        for (int i = 0; i < n; i++) {
            spatial[i] = 2 + i;
        }
        NDArray kernelFlipped = w.flip(spatial).swapAxes(0, 1);
        if (n != 1 && n != 2) {
            throw new UserException(c.describe() + " is " + n + "-D; 1-D and 2-D are supported yet");
        }
        return one(c.kernels().conv(up, kernelFlipped, c.in(2), orOnes(null, n), new long[n], dil, 1));
    }

    /** Inserts stride-1 zeros between the elements along one axis: [a, b] with stride 2 becomes [a, 0, b]. */
    private static NDArray interleaveZeros(NDArray x, int axis, long stride) {
        if (stride == 1) {
            return x;
        }
        long len = x.getShape().get(axis);
        NDArray e = x.expandDims(axis + 1);
        Shape zs = e.getShape();
        long[] zd = zs.getShape().clone();
        zd[axis + 1] = stride - 1;
        NDArray zeros = x.getManager().zeros(new Shape(zd), x.getDataType());
        NDArray both = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(e, zeros), axis + 1);
        long[] merged = x.getShape().getShape().clone();
        merged[axis] = len * stride;
        NDArray flat = both.reshape(new Shape(merged));
        StringBuilder spec = new StringBuilder();
        for (int k = 0; k < axis; k++) {
            spec.append(":,");
        }
        spec.append(":").append((len - 1) * stride + 1);
        return flat.get(new ai.djl.ndarray.index.NDIndex(spec.toString()));
    }

    private static NDArray[] batchNorm(OpCall c) {
        // ONNX momentum weighs the running value (0.9); running statistics are updated only while training.
        float momentum = c.attrFloat("momentum", 0.9f);
        float eps = c.attrFloat("epsilon", 1e-5f);
        boolean training = c.training() || c.attrInt("training_mode", 0) == 1;
        NDArray x = c.in(0);
        if (!training || c.node().getOutputCount() == 1) {
            return one(BatchNorm.batchNorm(x, c.in(3), c.in(4), c.in(1), c.in(2), 1, momentum, eps, training).head());
        }
        // Graph outputs running_mean and running_var too: computed per the ONNX spec from the
        // statistics before this batch (the op updates its inputs in place).
        NDArray mean0 = c.in(3).duplicate();
        NDArray var0 = c.in(4).duplicate();
        int[] axes = new int[x.getShape().dimension() - 1];
        for (int i = 0, j = 0; i < x.getShape().dimension(); i++) {
            if (i != 1) {
                axes[j++] = i;
            }
        }
        NDArray bm = Ops.mean(x, axes, false);
        NDArray centred = x.sub(Ops.mean(x, axes, true));
        NDArray bv = Ops.mean(centred.square(), axes, false);
        NDArray y = BatchNorm.batchNorm(x, c.in(3), c.in(4), c.in(1), c.in(2), 1, momentum, eps, true).head();
        return new NDArray[] {y, mean0.mul(momentum).add(bm.mul(1 - momentum)), var0.mul(momentum).add(bv.mul(1 - momentum))};
    }

    /**
     * Pads explicitly (-inf for max, 0 for average) and pools without padding: torch limits padding
     * to half the kernel and cannot pad the two sides differently. An average that must not count
     * padding is divided by the pooled count of real cells.
     */
    private static NDArray[] pool(OpCall c, boolean max) {
        NDArray x = c.in(0);
        long[] kernel = c.attrInts("kernel_shape");
        int n = kernel.length;
        if (n < 1 || n > 2) {
            throw new UserException(c.describe() + " pools over " + n + " dimensions; 1-D and 2-D are supported yet");
        }
        long[] strides = orOnes(c.attrInts("strides"), n);
        long[] dil = orOnes(c.attrInts("dilations"), n);
        for (long d : dil) {
            if (d != 1) {
                throw new UserException(c.describe() + " uses dilations; pooling with dilation is not supported yet");
            }
        }
        if (c.node().getOutputCount() > 1) {
            throw new UserException(c.describe() + " asks for pooling indices; not supported yet");
        }
        boolean ceil = c.attrInt("ceil_mode", 0) == 1;
        boolean countPad = c.attrInt("count_include_pad", 0) == 1;
        long[] begin = new long[n];
        long[] end = new long[n];
        padding(c, x, kernel, strides, dil, begin, end);
        boolean padded = Arrays.stream(begin).anyMatch(v -> v != 0) || Arrays.stream(end).anyMatch(v -> v != 0);
        NDArray xp = padded ? x.pad(torchPad(begin, end), max ? lowest(x) : 0) : x;
        Shape k = new Shape(kernel);
        Shape st = new Shape(strides);
        Shape none = new Shape(new long[n]);
        if (max) {
            return one(n == 1 ? Pool.maxPool1d(xp, k, st, none, ceil) : Pool.maxPool2d(xp, k, st, none, ceil));
        }
        NDArray avg = n == 1 ? Pool.avgPool1d(xp, k, st, none, ceil, true) : Pool.avgPool2d(xp, k, st, none, ceil, true);
        if (!padded || countPad) {
            return one(avg);
        }
        NDArray ones = x.onesLike().pad(torchPad(begin, end), 0);
        NDArray share = n == 1 ? Pool.avgPool1d(ones, k, st, none, ceil, true) : Pool.avgPool2d(ones, k, st, none, ceil, true);
        return one(avg.div(share));
    }

    /** The value max pooling pads with: below every element of the type. */
    private static double lowest(NDArray x) {
        return switch (x.getDataType()) {
            case UINT8 -> 0;
            case INT8 -> Byte.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> Double.NEGATIVE_INFINITY;
        };
    }

    private static void padding(OpCall c, NDArray x, long[] kernel, long[] strides, long[] dil, long[] begin, long[] end) {
        int n = kernel.length;
        long[] pads = c.attrInts("pads");
        String auto = c.attr("auto_pad") == null ? "NOTSET" : c.attr("auto_pad").getS().toStringUtf8();
        if (auto.startsWith("SAME")) {
            for (int i = 0; i < n; i++) {
                long in = x.getShape().get(2 + i);
                long out = (in + strides[i] - 1) / strides[i];
                long total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dil[i] + 1 - in);
                begin[i] = auto.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                end[i] = total - begin[i];
            }
        } else if (pads != null) {
            for (int i = 0; i < n; i++) {
                begin[i] = pads[i];
                end[i] = pads[i + n];
            }
        }
    }

    /** DJL's pad takes (before, after) pairs from the last dimension backwards, like torch's F.pad. */
    static Shape torchPad(long[] begin, long[] end) {
        int n = begin.length;
        long[] spec = new long[2 * n];
        for (int i = 0; i < n; i++) {
            spec[2 * (n - 1 - i)] = begin[i];
            spec[2 * (n - 1 - i) + 1] = end[i];
        }
        return new Shape(spec);
    }

    private static NDArray[] clip(OpCall c) {
        NDArray x = c.in(0);
        float lo;
        float hi;
        if (c.opset() < 11) {
            lo = c.attrFloat("min", -Float.MAX_VALUE);
            hi = c.attrFloat("max", Float.MAX_VALUE);
        } else {
            lo = c.in(1) == null ? -Float.MAX_VALUE : c.in(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()[0];
            hi = c.in(2) == null ? Float.MAX_VALUE : c.in(2).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()[0];
        }
        if (x.getDataType().isInteger()) {
            long[] range = switch (x.getDataType()) {
                case INT8 -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
                case UINT8 -> new long[] {0, 255};
                case INT32 -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
                default -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
            };
            long l = c.opset() >= 11 && c.in(1) != null ? c.in(1).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()[0] : range[0];
            long h = c.opset() >= 11 && c.in(2) != null ? c.in(2).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()[0] : range[1];
            return one(x.clip(Math.max(l, range[0]), Math.min(h, range[1])));
        }
        if (lo > hi) {
            return one(x.clip(lo, hi)); // ONNX: every value becomes max; hardtanh refuses min > max
        }
        return one(hardtanh(x, lo, hi));
    }

    /**
     * Clip of a float tensor as libtorch's hardtanh (PyTorch's ReLU6): the same values as DJL's
     * clip, but a backward of one fused pass where clip's takes four (ge, le, and, where), which
     * made ReLU6 the costliest op of a MobileNetV2 step. Gradients differ only at x exactly on a bound.
     */
    static NDArray hardtanh(NDArray x, float lo, float hi) {
        String name = "hardtanh_" + Integer.toHexString(Float.floatToIntBits(lo)) + "_" + Integer.toHexString(Float.floatToIntBits(hi));
        io.transfer4j.torchscript.ScriptMethods m = io.transfer4j.torchscript.ScriptMethods.shared();
        if (!m.has(name)) {
            m.define(name, "x: Tensor", "torch.hardtanh(x, " + io.transfer4j.torchscript.ScriptMethods.literal(lo) + ", "
                    + io.transfer4j.torchscript.ScriptMethods.literal(hi) + ")");
        }
        return m.call(name, x);
    }
}
