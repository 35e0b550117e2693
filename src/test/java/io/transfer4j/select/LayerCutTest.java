package io.transfer4j.select;

import io.transfer4j.backbone.LayerCut;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.TestData;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.onnx.GraphEdits;
import io.transfer4j.onnx.LayerOutputs;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers from one pass equal the same layers cut one at a time, on the real int8 MiniLM. */
class LayerCutTest {
    @TempDir Path dir;

    @Test
    void onePassOverSeveralLayersGivesWhatEachCutGives() throws IOException {
        BackboneCatalogue cat = BackboneCatalogue.load();
        BackboneSpec base = cat.resolve("minilm-q");
        BackboneFiles files = BackboneLocator.standard().locate(base);
        Map<String, String> layers = LayerOutputs.of(OnnxFile.read(files.onnx()));
        assertEquals(6, layers.size(), layers.toString());
        List<String> tensors = List.of(layers.get("encoder.layer.1"), layers.get("encoder.layer.5"));
        Path multi = Files.write(dir.resolve("multi.onnx"), GraphEdits.cutAt(OnnxFile.read(files.onnx()), tensors).model().toByteArray());
        List<String> texts = TestData.demo().texts().subList(0, 12);
        List<float[][]> both;
        // Same batch size as FeatureExtractor.of: int8 dynamic quantisation scales by each batch's range,
        // so an int8 encoder's vectors move by up to ~0.07 when texts share a batch with other texts.
        try (FeatureExtractor fx = new FeatureExtractor(base, new BackboneFiles(multi, files.tokenizer(), Hashing.sha256Hex(multi)),
                64, 1, 32, null, tensors)) {
            both = fx.extractAll(texts, Progress.SILENT);
        }
        BackboneSpec cut = LayerCut.resolve(cat, "minilm-q@encoder.layer.1");
        assertEquals("minilm-q@encoder.layer.1", cut.id());
        float[][] layer1;
        try (FeatureExtractor fx = FeatureExtractor.of(cut, BackboneLocator.standard().locate(cut), 64, 1, false)) {
            layer1 = fx.extract(texts, Progress.SILENT);
        }
        float[][] whole;
        try (FeatureExtractor fx = FeatureExtractor.of(base, files, 64, 1, false)) {
            whole = fx.extract(texts, Progress.SILENT);
        }
        assertTrue(maxDiff(both.get(0), layer1) < 1e-4, "layer 1 from the shared pass = layer 1 cut alone, off by " + maxDiff(both.get(0), layer1));
        assertTrue(maxDiff(both.get(1), whole) < 1e-4, "the last layer from the shared pass = the whole network, off by " + maxDiff(both.get(1), whole));
        assertTrue(maxDiff(both.get(0), both.get(1)) > 1e-2, "layers 1 and 5 differ");
    }

    private static double maxDiff(float[][] a, float[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }
}
