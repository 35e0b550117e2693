package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * bf16 dense products through TorchScript. DJL 0.36's JNI has no bfloat16 type, so a bf16 tensor
 * must never cross it: each product is a TorchScript method that casts its fp32 operands to bf16,
 * runs libtorch's bf16 kernel (oneDNN, using AVX512-BF16) and casts the result back, all inside
 * libtorch. Autograd records the casts, so gradients reach the fp32 operands (the master weights)
 * and the backward products run in bf16 too, as under torch.autocast.
 *
 * <p>Convolutions bake their strides, pads, dilations and groups into the method; a method is
 * added, and the small module recompiled, the first time a configuration is seen. The module and
 * its method markers live for the process on one manager of their own, like a JIT's code cache.
 */
final class Bf16Kernels implements DenseKernels {
    private static final String CLASS = "Kernels";
    private static final int BF16 = 15; // c10::ScalarType::BFloat16
    private static final int FP32 = 6; // c10::ScalarType::Float
    private static Bf16Kernels shared;

    private final NDManager manager = NDManager.newBaseManager("PyTorch");
    /** method name to its TorchScript source, in the order added */
    private final Map<String, String> methods = new LinkedHashMap<>();
    /** marker arrays: DJL picks the module method from an input array named "module_method:NAME" */
    private final Map<String, NDArray> markers = new LinkedHashMap<>();
    private final List<PtSymbolBlock> compiled = new ArrayList<>();
    private volatile PtSymbolBlock module;

    private Bf16Kernels() {
        method("matmul", "a: Tensor, b: Tensor", "torch.matmul(torch.to(a, " + BF16 + "), torch.to(b, " + BF16 + "))");
    }

    static synchronized Bf16Kernels shared() {
        if (shared == null) {
            shared = new Bf16Kernels();
        }
        return shared;
    }

    @Override
    public NDArray matMul(NDArray a, NDArray b) {
        return call("matmul", a, b);
    }

    @Override
    public NDArray conv(NDArray x, NDArray w, NDArray bias, long[] strides, long[] pads, long[] dilations, int groups) {
        int n = w.getShape().dimension() - 2;
        String name = "conv" + n + "d_s" + join(strides, "_") + "_p" + join(pads, "_") + "_d" + join(dilations, "_") + "_g" + groups
                + (bias == null ? "" : "_b");
        if (!methods.containsKey(name)) {
            String b = bias == null ? "None" : "torch.to(b, " + BF16 + ")";
            method(name, bias == null ? "x: Tensor, w: Tensor" : "x: Tensor, w: Tensor, b: Tensor",
                    "torch.conv" + n + "d(torch.to(x, " + BF16 + "), torch.to(w, " + BF16 + "), " + b + ", [" + join(strides, ", ")
                            + "], [" + join(pads, ", ") + "], [" + join(dilations, ", ") + "], " + groups + ")");
        }
        return bias == null ? call(name, x, w) : call(name, x, w, bias);
    }

    @Override
    public String toString() {
        return "bf16";
    }

    private synchronized void method(String name, String args, String expression) {
        if (methods.containsKey(name)) {
            return;
        }
        methods.put(name, "  def " + name + "(self: __torch__." + CLASS + ", " + args + ") -> Tensor:\n"
                + "    return torch.to(" + expression + ", " + FP32 + ")\n");
        NDArray marker = manager.create(0f);
        marker.setName("module_method:" + name);
        markers.put(name, marker);
        byte[] archive = TorchScriptArchive.write(CLASS, String.join("", methods.values()));
        try {
            PtSymbolBlock next = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive), true, false);
            compiled.add(next); // earlier modules may still be running on another thread; they are tiny
            module = next;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private NDArray call(String name, NDArray... operands) {
        NDList in = new NDList(operands.length + 1);
        for (NDArray a : operands) {
            // DJL reads structure from input names ("a.b" means a dict entry, "x[]" a list): a named
            // array (a parameter) goes in as an unnamed view of itself
            in.add(a.getName() == null || a.getName().isEmpty() ? a : a.reshape(a.getShape()));
        }
        in.add(markers.get(name));
        // "train" only means DJL adds no guard: autograd then records exactly when the caller's own ops
        // would (grad mode on, an operand requiring grad). DJL's inference guard would instead return
        // inference tensors, which the interpreter may not update in place.
        NDList out = IValueUtils.forward(module, in, true);
        for (int i = 0; i < operands.length; i++) {
            if (in.get(i) != operands[i]) {
                in.get(i).close();
            }
        }
        return out.head();
    }

    private static String join(long[] v, String sep) {
        return Arrays.stream(v).mapToObj(Long::toString).collect(Collectors.joining(sep));
    }
}
