package io.transfer4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.backbone.Tokenized;
import io.transfer4j.util.Progress;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embedding throughput of transfer4j (texts in, pooled vectors out: tokenizing, bucketing,
 * ONNX Runtime, pooling) against bare ONNX Runtime fed the same token ids in the same batches, in
 * the same process, with the repeats interleaved so machine noise hits both alike.
 */
public final class EmbeddingBenchmark {
    /** Texts per second, median over repeats, and the overhead of transfer4j over bare ONNX Runtime. */
    public record Result(int texts, int batchSize, int repeats, double transfer4jTextsPerSec, double onnxRuntimeTextsPerSec,
            double[] transfer4jSeconds, double[] onnxRuntimeSeconds) {
        public double overhead() {
            return onnxRuntimeTextsPerSec / transfer4jTextsPerSec - 1;
        }
    }

    private EmbeddingBenchmark() {}

    public static Result run(TextEncoder encoder, List<String> texts, int batchSize, int repeats) throws OrtException {
        Tokenized tok = encoder.tokenize(texts);
        List<int[]> batches = TextEncoder.lengthBuckets(tok.ids(), batchSize);
        // warm-up of both paths
        encoder.encode(texts, Progress.SILENT);
        bare(encoder, tok, batches);
        double[] ours = new double[repeats];
        double[] bare = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            encoder.encode(texts, Progress.SILENT);
            ours[r] = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            bare(encoder, tok, batches);
            bare[r] = (System.nanoTime() - t0) / 1e9;
        }
        return new Result(texts.size(), batchSize, repeats, texts.size() / Stats.median(ours),
                texts.size() / Stats.median(bare), ours, bare);
    }

    /** The session alone: build the padded id tensors, run, touch the output. */
    private static void bare(TextEncoder encoder, Tokenized tok, List<int[]> batches) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = encoder.session();
        for (int[] batch : batches) {
            int len = 0;
            for (int i : batch) {
                len = Math.max(len, tok.ids()[i].length);
            }
            long[] ids = new long[batch.length * len];
            long[] mask = new long[batch.length * len];
            for (int k = 0; k < batch.length; k++) {
                long[] row = tok.ids()[batch[k]];
                System.arraycopy(row, 0, ids, k * len, row.length);
                Arrays.fill(mask, k * len, k * len + row.length, 1L);
            }
            long[] shape = {batch.length, len};
            Map<String, OnnxTensor> in = new HashMap<>();
            try {
                in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
                in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
                if (encoder.wantsTypeIds()) {
                    in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
                }
                try (OrtSession.Result res = session.run(in)) {
                    ((OnnxTensor) res.get(0)).getFloatBuffer().get(0);
                }
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }
}
