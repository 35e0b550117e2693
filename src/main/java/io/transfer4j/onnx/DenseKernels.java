package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The interpreter's dense products, where nearly all of a network's arithmetic is: matrix
 * products and convolutions. Everything else in a graph runs in fp32 whatever the precision.
 */
public interface DenseKernels {
    /** numpy-style matmul of two fp32 arrays; fp32 result. */
    NDArray matMul(NDArray a, NDArray b);

    /**
     * A 1-D or 2-D convolution of fp32 arrays; pads are per spatial axis, applied on both sides
     * (asymmetric ONNX pads are applied to x beforehand); bias may be null.
     */
    NDArray conv(NDArray x, NDArray w, NDArray bias, long[] strides, long[] pads, long[] dilations, int groups);

    /** The kernels for a precision ({@code AUTO} resolved on this CPU). */
    static DenseKernels of(Precision precision) {
        return precision.resolve() == Precision.BF16 ? Bf16Kernels.shared() : FP32;
    }

    DenseKernels FP32 = new DenseKernels() {
        @Override
        public NDArray matMul(NDArray a, NDArray b) {
            return a.matMul(b);
        }

        @Override
        public NDArray conv(NDArray x, NDArray w, NDArray bias, long[] strides, long[] pads, long[] dilations, int groups) {
            return switch (w.getShape().dimension()) {
                case 3 -> Conv1d.conv1d(x, w, bias, new Shape(strides), new Shape(pads), new Shape(dilations), groups).head();
                case 4 -> Conv2d.conv2d(x, w, bias, new Shape(strides), new Shape(pads), new Shape(dilations), groups).head();
                default -> throw new IllegalArgumentException("conv kernel of rank " + w.getShape().dimension());
            };
        }

        @Override
        public String toString() {
            return "fp32";
        }
    };
}
