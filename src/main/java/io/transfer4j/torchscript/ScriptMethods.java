package io.transfer4j.torchscript;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libtorch functions DJL's JNI does not reach, as methods of one generated TorchScript module:
 * bf16 products (DJL has no bfloat16 type), and fused kernels DJL only spells out (hardtanh,
 * whose backward is one pass where DJL's clip takes four). A method is added, and the small
 * module recompiled, the first time it is asked for; constants such as a convolution's strides
 * are baked into its source. The module and its method markers live for the process on one
 * manager of their own, like a JIT's code cache.
 */
public final class ScriptMethods {
    private static final String CLASS = "Kernels";
    private static ScriptMethods shared;

    private final NDManager manager = NDManager.newBaseManager("PyTorch");
    /** method name to its TorchScript source, in the order added */
    private final Map<String, String> methods = new LinkedHashMap<>();
    /** marker arrays: DJL picks the module method from an input array named "module_method:NAME"; read without the lock */
    private final Map<String, NDArray> markers = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<PtSymbolBlock> compiled = new ArrayList<>();
    private volatile PtSymbolBlock module;

    private ScriptMethods() {}

    public static synchronized ScriptMethods shared() {
        if (shared == null) {
            shared = new ScriptMethods();
        }
        return shared;
    }

    /** A float as a TorchScript literal that reads back as the same float. */
    public static String literal(float v) {
        return String.format(java.util.Locale.ROOT, "%.9e", (double) v);
    }

    public boolean has(String name) {
        return markers.containsKey(name);
    }

    /** Adds {@code def name(self, args) -> Tensor: return expression} unless a method of that name exists. */
    public void define(String name, String args, String expression) {
        define(name, args, List.of(), expression);
    }

    /**
     * Adds {@code def name(self, args) -> Tensor:} with {@code statements} (each one line) before
     * {@code return expression}, unless a method of that name exists.
     */
    public synchronized void define(String name, String args, List<String> statements, String expression) {
        if (methods.containsKey(name)) {
            return;
        }
        StringBuilder body = new StringBuilder("  def " + name + "(self: __torch__." + CLASS + ", " + args + ") -> Tensor:\n");
        statements.forEach(st -> body.append("    ").append(st).append('\n'));
        methods.put(name, body + "    return " + expression + "\n");
        NDArray marker = manager.create(0f);
        marker.setName("module_method:" + name);
        byte[] archive = TorchScriptArchive.write(CLASS, String.join("", methods.values()));
        try {
            PtSymbolBlock next = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive), true, false);
            compiled.add(next); // earlier modules may still be running on another thread; they are tiny
            module = next;
            markers.put(name, marker); // published last: a caller that sees the marker sees a module with the method
        } catch (IOException | RuntimeException e) {
            methods.remove(name); // the module without it stays in use
            marker.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Runs a defined method on tensors, recorded by autograd as the caller's own ops would be; the result is on the first operand's manager. */
    public NDArray call(String name, NDArray... operands) {
        return run(name, true, operands);
    }

    /**
     * Runs a defined method with autograd off (under DJL's inference guard), for updates that
     * write into their operands in place, such as an optimizer step. Its result is an inference
     * tensor: read it, never update it in place.
     */
    public NDArray callWithoutGrad(String name, NDArray... operands) {
        return run(name, false, operands);
    }

    private NDArray run(String name, boolean record, NDArray... operands) {
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
        NDList out = IValueUtils.forward(module, in, record);
        for (int i = 0; i < operands.length; i++) {
            if (in.get(i) != operands[i]) {
                in.get(i).close();
            }
        }
        return out.head();
    }
}
