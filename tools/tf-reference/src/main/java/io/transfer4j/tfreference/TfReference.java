package io.transfer4j.tfreference;

import io.transfer4j.onnx.OnnxChecker;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.tensorflow.SavedModelFile;
import io.transfer4j.tensorflow.TensorFlowImporter;
import io.transfer4j.tensorflow.proto.Tf.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Runs the same tokenised sentences through TensorFlow's own execution of a SavedModel, through
 * transfer4j's import of it (the interpreter) and through ONNX Runtime on that import, and prints
 * the largest absolute difference of each output. Benchmark-only: TensorFlow Java is never a
 * dependency of transfer4j itself.
 *
 * <p>Arguments: SAVED_MODEL_DIR ONNX_FILE TOKENIZER_JSON LENGTH OUT_DIR TEXTS_FILE... For each
 * texts file the token ids go to OUT_DIR/NAME.ids (one JSON list per line), for comparison with
 * another tokenizer.
 */
public final class TfReference {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        OnnxFile onnx = OnnxFile.read(Path.of(args[1]));
        Path tokenizer = Path.of(args[2]);
        int length = Integer.parseInt(args[3]);
        System.out.printf("%-10s %-20s %14s %14s %14s%n", "texts", "output", "max|t4j-TF|", "max|ORT-TF|", "max|t4j-ORT|");
        Path out = Files.createDirectories(Path.of(args[4]));
        for (int a = 5; a < args.length; a++) {
            compare(dir, onnx, tokenizer, length, Path.of(args[a]), out);
        }
    }

    private static void compare(Path dir, OnnxFile onnx, Path tokenizer, int length, Path textsFile, Path out) throws Exception {
        List<String> texts = Files.readAllLines(textsFile).stream().filter(s -> !s.isBlank()).toList();
        // TensorFlow's placeholders are [?, 128]: every engine gets the same ids padded to that length.
        List<OnnxChecker.Feed> unpadded = OnnxChecker.textFeeds(onnx, tokenizer, texts, length);
        writeIds(unpadded, out.resolve(textsFile.getFileName() + ".ids"));
        List<OnnxChecker.Feed> feeds = pad(unpadded, length);
        SavedModelFile sm = SavedModelFile.open(dir, null);
        Map<String, String> tfName = new HashMap<>();
        Map<String, TensorInfo> renamed = new HashMap<>();
        sm.signature().getInputsMap().forEach((k, v) -> renamed.put(TensorFlowImporter.BERT_NAMES.getOrDefault(k, k), v));
        sm.signature().getOutputsMap().forEach((k, v) -> renamed.put(TensorFlowImporter.BERT_NAMES.getOrDefault(k, k), v));
        renamed.forEach((k, v) -> tfName.put(k, v.getName()));

        Map<String, float[]> tf = new HashMap<>();
        long t0 = System.nanoTime();
        try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve")) {
            Session.Runner r = b.session().runner();
            List<Tensor> owned = new ArrayList<>();
            for (OnnxChecker.Feed f : feeds) {
                int[] v = new int[f.longs().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (int) f.longs()[i];
                }
                TInt32 t = TInt32.tensorOf(Shape.of(f.shape()), DataBuffers.of(v, true, false));
                owned.add(t);
                r.feed(tfName.get(f.name()), t);
            }
            List<String> outs = new ArrayList<>();
            for (var o : onnx.model().getGraph().getOutputList()) {
                outs.add(o.getName());
                r.fetch(tfName.get(o.getName()));
            }
            try (Result res = r.run()) {
                for (int i = 0; i < outs.size(); i++) {
                    TFloat32 t = (TFloat32) res.get(i);
                    float[] v = new float[(int) t.size()];
                    t.copyTo(DataBuffers.of(v, false, false));
                    tf.put(outs.get(i), v);
                }
            }
            owned.forEach(Tensor::close);
        }
        long tfMillis = (System.nanoTime() - t0) / 1_000_000;
        OnnxChecker.Outputs ours = OnnxChecker.run(onnx, feeds);
        for (String name : new java.util.TreeSet<>(tf.keySet())) {
            float[] ref = tf.get(name);
            float[] mine = ours.transfer4j().get(name);
            float[] ort = ours.onnxRuntime().get(name);
            System.out.printf("%-10s %-20s %14.3e %14.3e %14.3e%n", textsFile.getFileName(), name, maxDiff(mine, ref), maxDiff(ort, ref),
                    maxDiff(mine, ort));
        }
        System.out.printf("%-10s %d texts padded to %d tokens; TensorFlow %s ran them in %d ms%n", textsFile.getFileName(), texts.size(),
                length, sm.tensorflowVersion(), tfMillis);
    }

    /** Each text's ids without padding, as a JSON list per line. */
    private static void writeIds(List<OnnxChecker.Feed> feeds, Path out) throws java.io.IOException {
        OnnxChecker.Feed ids = feeds.stream().filter(f -> f.name().equals("input_ids")).findFirst().orElseThrow();
        OnnxChecker.Feed mask = feeds.stream().filter(f -> f.name().equals("attention_mask")).findFirst().orElseThrow();
        int n = (int) ids.shape()[0];
        int l = (int) ids.shape()[1];
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            List<String> row = new ArrayList<>();
            for (int j = 0; j < l && mask.longs()[i * l + j] == 1; j++) {
                row.add(Long.toString(ids.longs()[i * l + j]));
            }
            s.append('[').append(String.join(",", row)).append("]\n");
        }
        Files.writeString(out, s);
    }

    private static List<OnnxChecker.Feed> pad(List<OnnxChecker.Feed> feeds, int length) {
        List<OnnxChecker.Feed> out = new ArrayList<>();
        for (OnnxChecker.Feed f : feeds) {
            int n = (int) f.shape()[0];
            int l = (int) f.shape()[1];
            long[] v = new long[n * length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(f.longs(), i * l, v, i * length, l);
            }
            out.add(new OnnxChecker.Feed(f.name(), new long[] {n, length}, v, null));
        }
        return out;
    }

    private static double maxDiff(float[] a, float[] b) {
        if (a == null || b == null || a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
