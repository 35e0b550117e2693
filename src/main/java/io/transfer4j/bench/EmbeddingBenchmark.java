package io.transfer4j.bench;

import io.transfer4j.util.Stats;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.backbone.Tokenized;
import io.transfer4j.util.Progress;
import java.util.List;
import java.util.Map;

/**
 * Embedding throughput of transfer4j (texts in, pooled vectors out: tokenizing, bucketing,
 * ONNX Runtime, pooling) against bare ONNX Runtime fed the same token ids in the same batches, in
 * the same process, with the repeats interleaved so machine noise hits both alike.
 */
public final class EmbeddingBenchmark {
    /** Texts per second, median over repeats, and the overhead of transfer4j over bare ONNX Runtime. */
    public record Result(int texts, int windows, int batchSize, int repeats, double transfer4jTextsPerSec, double onnxRuntimeTextsPerSec,
            double[] transfer4jSeconds, double[] onnxRuntimeSeconds) {
        public double overhead() {
            return onnxRuntimeTextsPerSec / transfer4jTextsPerSec - 1;
        }
    }

    private EmbeddingBenchmark() {}

    public static Result run(TextEncoder encoder, List<String> texts, int batchSize, int repeats) throws OrtException {
        return run(encoder, texts, batchSize, repeats, Progress.SILENT);
    }

    /** As {@link #run(TextEncoder, List, int, int)}, showing the warm-up and each timed repeat of both paths on {@code progress}. */
    public static Result run(TextEncoder encoder, List<String> texts, int batchSize, int repeats, Progress progress)
            throws OrtException {
        Tokenized tok = encoder.tokenize(texts);
        List<int[]> batches = TextEncoder.lengthBuckets(tok.ids(), batchSize);
        double[] ours = new double[repeats];
        double[] bare = new double[repeats];
        try (Progress.Task task = progress.start("embed benchmark", (long) (repeats + 1) * 2 * texts.size(), "texts")) {
            // warm-up of both paths
            encoder.encode(texts, Progress.SILENT);
            bare(encoder, tok, batches);
            task.step(2L * texts.size());
            for (int r = 0; r < repeats; r++) {
                // alternate which path goes first, so drifts in clock speed hit both alike
                if (r % 2 == 0) {
                    ours[r] = timeEncode(encoder, texts);
                    bare[r] = timeBare(encoder, tok, batches);
                } else {
                    bare[r] = timeBare(encoder, tok, batches);
                    ours[r] = timeEncode(encoder, texts);
                }
                task.step(2L * texts.size());
            }
        }
        return new Result(texts.size(), tok.size(), batchSize, repeats, texts.size() / Stats.median(ours),
                texts.size() / Stats.median(bare), ours, bare);
    }

    private static double timeEncode(TextEncoder encoder, List<String> texts) {
        long t0 = System.nanoTime();
        encoder.encode(texts, Progress.SILENT);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double timeBare(TextEncoder encoder, Tokenized tok, List<int[]> batches) throws OrtException {
        long t0 = System.nanoTime();
        bare(encoder, tok, batches);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The session alone on the same padded token ids: build the tensors, run, touch the output. */
    private static void bare(TextEncoder encoder, Tokenized tok, List<int[]> batches) throws OrtException {
        OrtSession session = encoder.session();
        for (int[] batch : batches) {
            Map<String, OnnxTensor> in = encoder.tensors(TextEncoder.pad(tok, batch));
            try (OrtSession.Result res = session.run(in)) {
                ((OnnxTensor) res.get(0)).getFloatBuffer().get(0);
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }
}
