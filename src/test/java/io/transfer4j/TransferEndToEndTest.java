package io.transfer4j;

import io.transfer4j.run.TransferRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.bundle.Manifest;
import io.transfer4j.data.Split;
import io.transfer4j.data.TextDataset;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.run.RunConfig;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Json;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole journey on real reviews with the real default encoder: transfer, baseline, bundle, cache. */
class TransferEndToEndTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    static Path bundle;
    static TransferRun.EmbeddingStats firstRun;
    static double transferAccuracy;
    static double scratchAccuracy;
    static int testSize;
    static List<String> probe;
    static float[][] before;

    private static Pipeline<TextDataset, ProbeClassifier, RunConfig> fast() {
        // 128-token single windows keep the test quick; the defaults read whole reviews.
        return Transfer.text().configure(c -> c.toBuilder().maxLength(128).maxWindows(1).build()).seed(5);
    }

    @BeforeAll
    static void trainOnceFromAColdCache() {
        AtomicDirectory.deleteTree(Dirs.embeddings());
        Split<TextDataset> split = TestData.smallSplit();
        bundle = shared.resolve("model");
        probe = split.test().texts().subList(0, 20);
        try (var run = fast().run(split)) {
            firstRun = run.embedding();
            transferAccuracy = run.transfer().test().accuracy();
            scratchAccuracy = run.scratch().test().accuracy();
            testSize = run.transfer().test().n();
            Bundle.save(run, bundle);
            before = run.model().probabilities(probe);
        }
    }

    @Test
    void transferBeatsScratchClearly() {
        assertTrue(transferAccuracy >= 0.80, "transfer accuracy " + transferAccuracy);
        assertTrue(transferAccuracy - scratchAccuracy >= 0.05, "transfer " + transferAccuracy + " vs scratch " + scratchAccuracy);
        assertEquals(240, testSize);
        assertEquals(600, firstRun.encoded(), "a cold cache encodes every text once");
    }

    @Test
    void theBundleReloadsToTheSamePredictions() {
        assertTrue(Files.isRegularFile(bundle.resolve(Bundle.MANIFEST)));
        assertTrue(Files.isRegularFile(bundle.resolve(Bundle.SUMMARY)));
        try (ProbeClassifier c = Bundle.load(bundle)) {
            float[][] after = c.probabilities(probe);
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], 1e-5f);
            }
        }
    }

    @Test
    void theLibrarysRunIncludesTheNegativeTransferGuard() {
        var split = TestData.smallSplit();
        try (var run = fast().seeds(2).run(split.train(), split.test())) {
            assertEquals(List.of(5L, 6L), run.guard().seeds(), "the guard repeats the run on the next seed");
            assertEquals(run.transfer().test().accuracy(), run.guard().transferAccuracy().get(0), 1e-12);
            assertEquals(240, run.paired().examples(), "and the paired test covers the run's own test split");
        }
        assertEquals(3, fast().guardSeeds(), "a linear probe is repeated over 3 seeds by default");
        assertEquals(1, fast().strategy(io.transfer4j.train.Strategy.parse("lora")).guardSeeds(),
                "fine-tuning rests on the paired test by default");
        try (var one = fast().seeds(1).run(split.train(), split.test())) {
            assertEquals(null, one.guard());
            assertTrue(one.paired().pValue() >= 0 && one.paired().pValue() <= 1);
        }
    }

    /**
     * LP-FT on texts goes through the stage images use too (train.ProbeFirst): the head is fitted
     * on the frozen encoder before fine-tuning starts. With a learning rate too small to move
     * anything, the first epoch shows which head training began from: LP-FT's fits the training
     * texts (loss well under ln 2), full fine-tuning's random head does not.
     */
    @Test
    void lpFtStartsFineTuningFromAFittedProbe() {
        var split = TestData.smallSplit();
        var few = new Split<>(split.train().subset(java.util.stream.IntStream.range(0, 64).toArray(), "#64"),
                split.validation().subset(java.util.stream.IntStream.range(0, 32).toArray(), "#32"),
                split.test().subset(java.util.stream.IntStream.range(0, 40).toArray(), "#40"));
        double[] firstLoss = new double[2];
        String[] strategies = {"lp-ft", "full"};
        for (int i = 0; i < 2; i++) {
            try (var run = Transfer.text().strategy(io.transfer4j.train.Strategy.parse(strategies[i])).seed(5)
                    .configure(c -> c.toBuilder().backbone("minilm-q").maxLength(32)
                            .tuning(c.tuning().toBuilder().epochs(1).batchSize(16).learningRate(1e-9f).build()).build()).run(few)) {
                assertEquals(strategies[i], run.tuning().strategy());
                assertEquals(run.tuning().totalParameters(), run.tuning().trainableParameters(), "everything trains");
                assertEquals(1e-9f, run.tuning().learningRate(), "a learning rate given stays whatever the strategy");
                firstLoss[i] = run.transfer().training().history().get(0).trainLoss();
            }
        }
        assertTrue(firstLoss[0] < 0.5 && firstLoss[1] > 0.6, "lp-ft " + firstLoss[0] + " vs a random head " + firstLoss[1]);
    }

    @Test
    void aSecondRunOverTheSameTextsNeverOpensTheEncoder() {
        try (var again = fast().run(TestData.smallSplit())) {
            assertEquals(0, again.embedding().encoded());
            assertEquals(600, again.embedding().cacheHits());
        }
    }

    @Test
    void aBundleWhoseBackboneHashDiffersIsRefused() throws IOException {
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        for (String f : List.of(Bundle.MANIFEST, Bundle.HEAD, Bundle.SUMMARY)) {
            Files.copy(bundle.resolve(f), copy.resolve(f));
        }
        Manifest m = Bundle.readManifest(copy);
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(copy.resolve(Bundle.MANIFEST).toFile());
        ((ObjectNode) json.get("backbone")).put("sha256", "0".repeat(64));
        Files.write(copy.resolve(Bundle.MANIFEST), Json.bytes(json));
        UserException e = assertThrows(UserException.class, () -> Bundle.load(copy));
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
