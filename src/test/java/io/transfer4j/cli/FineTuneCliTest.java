package io.transfer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.transfer4j.TestData;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.onnx.OnnxChecker;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.util.Progress;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning as a user drives it: a YAML run file, a LoRA fine-tune of the default encoder, a
 * bundle carrying the tuned encoder that predict loads unchanged, and one exported ONNX file that
 * ONNX Runtime runs to the bundle's own probabilities.
 */
class FineTuneCliTest {
    @TempDir Path dir;

    @Test
    void loraFromAYamlRunFileThenPredictAndExportAgree() throws Exception {
        var split = TestData.smallSplit();
        StringBuilder sb = new StringBuilder("text,label\n");
        for (int i = 0; i < 96; i++) {
            sb.append('"').append(split.train().texts().get(i).replace("\"", "\"\"")).append("\",")
                    .append(split.train().labels().get(i)).append('\n');
        }
        Path data = Files.writeString(dir.resolve("ft-train.csv"), sb.toString());
        Path out = dir.resolve("lora");
        Path yaml = Files.writeString(dir.resolve("run.yaml"), String.join("\n",
                "data: " + data, "out: " + out, "strategy: lora", "lora-rank: 4", "epochs: 1", "batch: 8", "max-length: 32",
                "seeds: 1", "quiet: true", "lr: 2e-3", ""));
        CliTest.Outcome o = CliTest.run("train", "--config", yaml.toString(), "--seed", "3");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("fine-tuned (lora)"), o.out());
        assertTrue(Files.isRegularFile(out.resolve("backbone/model.onnx")), "the tuned encoder travels in the bundle");
        String saved = Files.readString(out.resolve(Bundle.CONFIG));
        assertTrue(saved.contains("strategy: \"lora\"") && saved.contains("seed: 3"), saved);
        assertTrue(!Files.exists(dir.resolve("lora.checkpoint")), "checkpoints are removed once the bundle exists");

        List<String> texts = List.of("A moving, beautifully acted film.", "Dull and far too long.");
        float[][] bundled;
        Path tokenizer;
        try (ProbeClassifier c = Bundle.load(out)) {
            bundled = c.probabilities(texts, Progress.SILENT);
            tokenizer = c.extractor().files().tokenizer();
        }
        Path onnx = dir.resolve("lora.onnx");
        CliTest.Outcome e = CliTest.run("export", "--model", out.toString(), "--out", onnx.toString());
        assertEquals(0, e.code(), e.err());
        List<OnnxChecker.Feed> feeds = OnnxChecker.textFeeds(OnnxFile.read(onnx), tokenizer, texts, 32);
        float[][] p = exportedProbabilities(onnx, feeds);
        for (int i = 0; i < texts.size(); i++) {
            for (int k = 0; k < 2; k++) {
                assertEquals(bundled[i][k], p[i][k], 1e-4, "text " + i + " class " + k);
            }
        }
        // the exported classifier also passes transfer4j's own ONNX Runtime comparison
        assertTrue(OnnxChecker.check(OnnxFile.read(onnx), feeds).worst() <= 1e-4);
    }

    @Test
    void unknownStrategyAndBadRunFileKeysAreOneLineErrors() throws Exception {
        CliTest.Outcome o = CliTest.run("train", "--data", TestData.DEMO.toString(), "--out", dir.resolve("x").toString(),
                "--strategy", "magic");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("error: unknown strategy 'magic'"), o.err());
        Path yaml = Files.writeString(dir.resolve("bad.yaml"), "strategy: lora\nlearning-rate: 1\n");
        CliTest.Outcome b = CliTest.run("train", "--config", yaml.toString());
        assertEquals(2, b.code());
        assertTrue(b.err().contains("[learning-rate]"), b.err());
        assertTrue(!Files.exists(dir.resolve("x")));
    }

    /** An exported text classifier's probabilities under ONNX Runtime itself. */
    static float[][] exportedProbabilities(Path onnx, List<OnnxChecker.Feed> feeds) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> in = new HashMap<>();
            for (OnnxChecker.Feed f : feeds) {
                in.put(f.name(), OnnxTensor.createTensor(env, LongBuffer.wrap(f.longs()), f.shape()));
            }
            try (OrtSession.Result r = s.run(in)) {
                return (float[][]) r.get("probabilities").get().getValue();
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }
}
