package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.transfer4j.util.UserException;

/**
 * Resize, nearest and linear, separably along each resized axis: output coordinates are mapped
 * back to input coordinates by the node's coordinate_transformation_mode, and rows are gathered
 * (nearest) or blended from the two neighbours (linear), so gradients flow to the input.
 */
final class ResizeOp {
    private ResizeOp() {}

    static NDArray[] apply(OpCall c) {
        NDArray x = c.in(0);
        String mode = str(c, "mode", "nearest");
        if (!mode.equals("nearest") && !mode.equals("linear")) {
            throw new UserException(c.describe() + " uses mode " + mode + "; nearest and linear are supported yet");
        }
        String coord = str(c, "coordinate_transformation_mode", c.opset() >= 11 ? "half_pixel" : "asymmetric");
        String nearest = str(c, "nearest_mode", "round_prefer_floor");
        int rank = x.getShape().dimension();
        float[] scales = new float[rank];
        long[] sizes = new long[rank];
        NDArray scalesIn = c.opset() >= 11 ? c.in(2) : c.in(1);
        NDArray sizesIn = c.opset() >= 11 ? c.in(3) : null;
        for (int d = 0; d < rank; d++) {
            long in = x.getShape().get(d);
            if (sizesIn != null && sizesIn.size() > 0) {
                sizes[d] = sizesIn.toLongArray()[d];
                scales[d] = (float) sizes[d] / in;
            } else if (scalesIn != null && scalesIn.size() > 0) {
                scales[d] = scalesIn.toType(DataType.FLOAT32, false).toFloatArray()[d];
                sizes[d] = (long) Math.floor(in * scales[d]);
            } else {
                throw new UserException(c.describe() + " gives neither scales nor sizes");
            }
        }
        NDArray y = x;
        for (int d = 0; d < rank; d++) {
            long in = x.getShape().get(d);
            if (sizes[d] == in && scales[d] == 1f) {
                continue;
            }
            double[] src = new double[(int) sizes[d]];
            for (int i = 0; i < src.length; i++) {
                src[i] = source(coord, i, scales[d], in, (double) in * scales[d]);
            }
            y = mode.equals("nearest") ? nearestAlong(y, d, src, in, nearest) : linearAlong(y, d, src, in);
        }
        return new NDArray[] {y};
    }

    private static String str(OpCall c, String name, String dflt) {
        return c.attr(name) == null ? dflt : c.attr(name).getS().toStringUtf8();
    }

    /** Input coordinate of output index i; {@code out} is in * scale unrounded, as ONNX defines it. */
    private static double source(String mode, int i, float scale, long in, double out) {
        return switch (mode) {
            case "asymmetric" -> i / (double) scale;
            case "half_pixel" -> (i + 0.5) / scale - 0.5;
            case "pytorch_half_pixel" -> out > 1 ? (i + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> out == 1 ? 0 : i * (in - 1) / (double) (out - 1);
            case "tf_half_pixel_for_nn" -> (i + 0.5) / scale;
            default -> throw new UserException("Resize coordinate_transformation_mode " + mode + " is not supported yet");
        };
    }

    private static NDArray nearestAlong(NDArray x, int axis, double[] src, long in, String rule) {
        long[] idx = new long[src.length];
        for (int i = 0; i < src.length; i++) {
            double s = src[i];
            long v = switch (rule) {
                case "floor" -> (long) Math.floor(s);
                case "ceil" -> (long) Math.ceil(s);
                case "round_prefer_ceil" -> (long) Math.floor(s + 0.5);
                case "round_prefer_floor" -> (long) Math.ceil(s - 0.5);
                default -> throw new UserException("Resize nearest_mode " + rule + " is not supported yet");
            };
            idx[i] = Math.max(0, Math.min(in - 1, v));
        }
        return take(x, idx, axis);
    }

    private static NDArray linearAlong(NDArray x, int axis, double[] src, long in) {
        long[] lo = new long[src.length];
        long[] hi = new long[src.length];
        float[] w = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            double s = Math.max(0, Math.min(in - 1, src[i]));
            lo[i] = (long) Math.floor(s);
            hi[i] = Math.min(in - 1, lo[i] + 1);
            w[i] = (float) (s - lo[i]);
        }
        long[] wShape = new long[x.getShape().dimension()];
        java.util.Arrays.fill(wShape, 1);
        wShape[axis] = src.length;
        NDArray wt = x.getManager().create(w).reshape(wShape).toType(x.getDataType(), false);
        NDArray a = take(x, lo, axis);
        NDArray b = take(x, hi, axis);
        return a.add(b.sub(a).mul(wt));
    }

    /** x[..., idx, ...] along one axis. */
    static NDArray take(NDArray x, long[] idx, int axis) {
        StringBuilder spec = new StringBuilder();
        for (int k = 0; k < axis; k++) {
            spec.append(":,");
        }
        spec.append("{}");
        return x.get(new NDIndex(spec.toString(), x.getManager().create(idx)));
    }

}
