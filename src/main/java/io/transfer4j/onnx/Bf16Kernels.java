package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import io.transfer4j.torchscript.ScriptMethods;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * bf16 dense products through TorchScript ({@link ScriptMethods}). DJL 0.36's JNI has no bfloat16
 * type, so a bf16 tensor must never cross it: each product is a method that casts its fp32
 * operands to bf16, runs libtorch's bf16 kernel (oneDNN, using AVX512-BF16) and casts the result
 * back, all inside libtorch. Autograd records the casts, so gradients reach the fp32 operands
 * (the master weights) and the backward products run in bf16 too, as under torch.autocast.
 */
final class Bf16Kernels implements DenseKernels {
    private static final int BF16 = 15; // c10::ScalarType::BFloat16
    private static final int FP32 = 6; // c10::ScalarType::Float
    private static final Bf16Kernels INSTANCE = new Bf16Kernels();

    private final ScriptMethods methods = ScriptMethods.shared();

    private Bf16Kernels() {
        methods.define("bf16_matmul", "a: Tensor, b: Tensor", fp32("torch.matmul(" + bf16("a") + ", " + bf16("b") + ")"));
    }

    static Bf16Kernels shared() {
        return INSTANCE;
    }

    @Override
    public NDArray matMul(NDArray a, NDArray b) {
        return methods.call("bf16_matmul", a, b);
    }

    @Override
    public NDArray conv(NDArray x, NDArray w, NDArray bias, long[] strides, long[] pads, long[] dilations, int groups) {
        int n = w.getShape().dimension() - 2;
        // convolutions bake their strides, pads, dilations and groups into the method
        String name = "bf16_conv" + n + "d_s" + join(strides, "_") + "_p" + join(pads, "_") + "_d" + join(dilations, "_") + "_g" + groups
                + (bias == null ? "" : "_b");
        if (!methods.has(name)) {
            methods.define(name, bias == null ? "x: Tensor, w: Tensor" : "x: Tensor, w: Tensor, b: Tensor",
                    fp32("torch.conv" + n + "d(" + bf16("x") + ", " + bf16("w") + ", " + (bias == null ? "None" : bf16("b")) + ", ["
                            + join(strides, ", ") + "], [" + join(pads, ", ") + "], [" + join(dilations, ", ") + "], " + groups + ")"));
        }
        return bias == null ? methods.call(name, x, w) : methods.call(name, x, w, bias);
    }

    @Override
    public String toString() {
        return "bf16";
    }

    private static String bf16(String v) {
        return "torch.to(" + v + ", " + BF16 + ")";
    }

    private static String fp32(String expression) {
        return "torch.to(" + expression + ", " + FP32 + ")";
    }

    private static String join(long[] v, String sep) {
        return Arrays.stream(v).mapToObj(Long::toString).collect(Collectors.joining(sep));
    }
}
