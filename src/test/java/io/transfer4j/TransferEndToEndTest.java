package io.transfer4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.bundle.Manifest;
import io.transfer4j.data.Split;
import io.transfer4j.train.ProbeClassifier;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Json;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole journey on real reviews with the real default encoder: transfer, baseline, bundle, cache. */
class TransferEndToEndTest {
    @TempDir Path dir;

    private static TextTransfer fast() {
        // 128-token single windows keep the test quick; the defaults read whole reviews.
        return Transfer.text().maxLength(128).maxWindows(1).seed(5);
    }

    @Test
    void transferBeatsScratchAndTheBundleReloadsToTheSamePredictions() throws IOException {
        AtomicDirectory.deleteTree(Dirs.embeddings());
        Split split = TestData.smallSplit();
        Path out = dir.resolve("model");
        float[][] before;
        List<String> probe = split.test().texts().subList(0, 20);
        try (TransferRun run = fast().run(split)) {
            double transfer = run.transfer().test().accuracy();
            double scratch = run.scratch().test().accuracy();
            assertTrue(transfer >= 0.80, "transfer accuracy " + transfer);
            assertTrue(transfer - scratch >= 0.05, "transfer " + transfer + " vs scratch " + scratch);
            assertEquals(600, run.embedding().encoded(), "a cold cache encodes every text once");
            assertEquals(240, run.transfer().test().n());
            Bundle.save(run, out);
            before = run.classifier().probabilities(probe);
        }
        assertTrue(Files.isRegularFile(out.resolve(Bundle.MANIFEST)));
        assertTrue(Files.isRegularFile(out.resolve(Bundle.SUMMARY)));
        try (ProbeClassifier c = Bundle.load(out)) {
            float[][] after = c.probabilities(probe);
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], 1e-5f);
            }
        }
        // A second run over the same texts never opens the encoder.
        try (TransferRun again = fast().run(split)) {
            assertEquals(0, again.embedding().encoded());
            assertEquals(600, again.embedding().cacheHits());
        }
    }

    @Test
    void aBundleWhoseBackboneHashDiffersIsRefused() throws IOException {
        Split split = TestData.smallSplit();
        Path out = dir.resolve("model");
        try (TransferRun run = fast().run(split)) {
            Bundle.save(run, out);
        }
        Manifest m = Bundle.readManifest(out);
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(out.resolve(Bundle.MANIFEST).toFile());
        ((ObjectNode) json.get("backbone")).put("sha256", "0".repeat(64));
        Files.write(out.resolve(Bundle.MANIFEST), Json.bytes(json));
        UserException e = assertThrows(UserException.class, () -> Bundle.load(out));
        assertTrue(e.getMessage().contains("was trained on backbone " + m.backbone().id()), e.getMessage());
        assertTrue(e.getMessage().contains("restore the original backbone"), e.getMessage());
    }

    @Test
    void aFailedRunLeavesNoHalfWrittenBundle() {
        Path out = dir.resolve("never");
        assertThrows(UserException.class, () -> AtomicDirectory.write(out, tmp -> {
            Files.writeString(tmp.resolve("manifest.json"), "{");
            throw new UserException("simulated failure while writing");
        }));
        assertFalse(Files.exists(out));
        assertEquals(0, dir.toFile().list().length, "the temp directory is removed too");
    }
}
