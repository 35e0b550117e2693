package io.transfer4j.spark;

import io.transfer4j.backbone.TextEncoder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One frozen encoder (one ONNX Runtime session) per backbone per executor JVM, opened by the first
 * task that needs it and shared by every later task and thread: ONNX Runtime sessions and the
 * HuggingFace tokenizer are safe to call concurrently, and opening a session per partition would
 * cost more than embedding a small one. Its intra-op threads are a task's share of the cores
 * ({@code spark.task.cpus}); with one thread a run computes on the calling task's thread, so the
 * executor's tasks embed side by side. Closed when the JVM ends, so native memory is released
 * with the executor.
 */
final class ExecutorEncoders {
    private static final Map<String, TextEncoder> OPEN = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorEncoders::closeAll, "transfer4j-encoders-close"));
    }

    private ExecutorEncoders() {}

    static TextEncoder of(StagedBackbone backbone, int batchSize, int threads) {
        return OPEN.computeIfAbsent(backbone.encoderKey(batchSize) + "/" + threads, k -> TextEncoder.open(backbone.localSpec(),
                backbone.localFiles(), backbone.maxLength(), batchSize, backbone.maxWindows(), java.util.List.of(), threads));
    }

    /** How many encoders this JVM holds open (tests check sharing). */
    static int openCount() {
        return OPEN.size();
    }

    static void closeAll() {
        for (TextEncoder e : OPEN.values()) {
            try {
                e.close();
            } catch (RuntimeException ignored) {
                // the JVM is ending; nothing else can use the session
            }
        }
        OPEN.clear();
    }
}
