package io.transfer4j.onnx;

import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The number format of the interpreter's dense products (MatMul, Gemm, Conv and LoRA's factors).
 * {@code BF16} is mixed precision as torch.autocast does it on a CPU: those products read bf16
 * copies of their operands and return fp32, so weights, optimizer state, norms, softmax and the
 * loss stay fp32. {@code AUTO} is bf16 where the CPU has bf16 dot-product instructions, else fp32.
 */
public enum Precision {
    FP32, BF16, AUTO;

    public static Precision parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("unknown precision '" + s + "'; use fp32, bf16 or auto");
        }
    }

    /** FP32 or BF16: what {@code AUTO} means on this CPU. */
    public Precision resolve() {
        return this == AUTO ? (Cpu.BF16 ? BF16 : FP32) : this;
    }

    /** Read once: every Optimization built resolves its precision. */
    private static final class Cpu {
        static final boolean BF16 = cpuHasBf16();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * AVX512-BF16 or AMX-BF16 in the kernel's CPU flags. Without them oneDNN emulates bf16 and is
     * slower than fp32, so AUTO picks fp32 there (and on systems without /proc/cpuinfo).
     */
    static boolean cpuHasBf16() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return line.contains(" avx512_bf16") || line.contains(" amx_bf16");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
