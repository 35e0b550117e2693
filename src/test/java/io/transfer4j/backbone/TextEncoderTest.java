package io.transfer4j.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real default encoder (int8 bge-small-en-v1.5, a test dependency through the main pom). */
class TextEncoderTest {
    private static final BackboneSpec SPEC = BackboneCatalogue.builtIns().stream()
            .filter(s -> s.id().equals(BackboneCatalogue.DEFAULT_ID)).findFirst().orElseThrow();

    @TempDir Path dir;

    private static double cos(float[] a, float[] b) {
        double d = 0, x = 0, y = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
            x += a[i] * a[i];
            y += b[i] * b[i];
        }
        return d / Math.sqrt(x * y);
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        BackboneFiles f = BackboneLocator.standard().locate(SPEC);
        try (TextEncoder e = TextEncoder.open(SPEC, f, 128, 32)) {
            assertEquals(384, e.width());
            float[][] v = e.encode(List.of("A man is eating food.", "A man is eating a piece of bread.",
                    "A man is riding a horse.", "The stock market fell sharply on Monday."), Progress.SILENT);
            double bread = cos(v[0], v[1]);
            double horse = cos(v[0], v[2]);
            double stocks = cos(v[0], v[3]);
            assertTrue(bread > horse + 0.1 && horse > stocks, bread + " / " + horse + " / " + stocks);
        }
    }

    @Test
    void batchingAndLengthBucketingDoNotChangeTheVectors() {
        BackboneFiles f = BackboneLocator.standard().locate(SPEC);
        List<String> texts = List.of("short", "a somewhat longer sentence about films", "mid length text here", "x");
        try (TextEncoder one = TextEncoder.open(SPEC, f, 128, 1); TextEncoder many = TextEncoder.open(SPEC, f, 128, 4)) {
            float[][] a = one.encode(texts, Progress.SILENT);
            float[][] b = many.encode(texts, Progress.SILENT);
            // int8 dynamic quantisation picks its scales per batch tensor, padding included, so a
            // vector moves a little with its batch-mates (cos 0.995 seen); what must hold is that
            // every text gets its own vector back, in input order.
            for (int i = 0; i < texts.size(); i++) {
                assertTrue(cos(a[i], b[i]) > 0.98, "text " + i + ": cos " + cos(a[i], b[i]));
                for (int j = 0; j < texts.size(); j++) {
                    if (j != i) {
                        assertTrue(cos(a[i], b[i]) > cos(a[i], b[j]), "text " + i + " is closest to itself, not " + j);
                    }
                }
            }
        }
    }

    @Test
    void longTextsAreReadInWindowsWrappedInSpecialTokens() {
        BackboneFiles f = BackboneLocator.standard().locate(SPEC);
        String longText = "This film is wonderful and the cast is superb. ".repeat(40); // about 400 tokens
        try (TextEncoder e = TextEncoder.open(SPEC, f, 64, 8, 3)) {
            Tokenized t = e.tokenize(List.of("tiny", longText));
            assertEquals(2, t.texts());
            assertEquals(1 + 3, t.size(), "the long text is cut after 3 windows");
            assertEquals(1, t.truncated());
            for (int w = 1; w < t.size(); w++) {
                long[] ids = t.ids()[w];
                assertEquals(64, ids.length);
                assertEquals(101L, ids[0]); // [CLS]
                assertEquals(102L, ids[ids.length - 1]); // [SEP]
            }
            float[][] v = e.embed(t, Progress.SILENT);
            assertEquals(2, v.length);
        }
    }

    @Test
    void lengthBucketsCoverEveryIndexOnce() {
        long[][] ids = new long[103][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new long[1 + (i * 37) % 50];
        }
        List<int[]> b = TextEncoder.lengthBuckets(ids, 16);
        Set<Integer> seen = new HashSet<>();
        List<Integer> lengths = new ArrayList<>();
        for (int[] batch : b) {
            assertTrue(batch.length <= 16);
            for (int i : batch) {
                assertTrue(seen.add(i));
                lengths.add(ids[i].length);
            }
        }
        assertEquals(103, seen.size());
        for (int i = 1; i < lengths.size(); i++) {
            assertTrue(lengths.get(i) <= lengths.get(i - 1), "longest first");
        }
    }

    @Test
    void aUserOnnxFileWithItsTokenizerLoadsFromAPath() throws IOException {
        BackboneFiles f = BackboneLocator.standard().locate(SPEC);
        Files.copy(f.onnx(), dir.resolve("model.onnx"));
        Files.copy(f.tokenizer(), dir.resolve("tokenizer.json"));
        BackboneSpec user = BackboneCatalogue.load().resolve(dir.resolve("model.onnx").toString());
        BackboneFiles uf = BackboneLocator.standard().locate(user);
        assertEquals(f.sha256(), uf.sha256());
        try (TextEncoder e = TextEncoder.open(user, uf, 64, 8)) {
            assertEquals(384, e.width(), "width is read from the graph");
        }
    }

    @Test
    void corruptOnnxAndMissingTokenizerGiveOneLineErrors() throws IOException {
        BackboneFiles f = BackboneLocator.standard().locate(SPEC);
        Path bad = Files.write(dir.resolve("bad.onnx"), new byte[] {1, 2, 3, 4, 5});
        UserException e = assertThrows(UserException.class,
                () -> TextEncoder.open(SPEC, new BackboneFiles(bad, f.tokenizer(), "x"), 64, 8));
        assertTrue(e.getMessage().contains("cannot load ONNX model"), e.getMessage());
        UserException t = assertThrows(UserException.class,
                () -> BackboneCatalogue.load().resolve(bad.toString()));
        assertTrue(t.getMessage().contains("no tokenizer.json beside"), t.getMessage());
        UserException unknown = assertThrows(UserException.class, () -> BackboneCatalogue.load().resolve("gpt-17"));
        assertTrue(unknown.getMessage().contains("unknown backbone 'gpt-17'"), unknown.getMessage());
    }
}
