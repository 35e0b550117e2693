package io.transfer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pretrain --self-supervised simclr on the demo images (their class folders ignored), then transfer from it; its one-line errors. */
class SelfSupervisedCliTest {
    @TempDir Path dir;

    @Test
    void simclrWritesABackboneThatTrainTransfersFrom() throws Exception {
        Path out = dir.resolve("simclr");
        CliTest.Outcome o = CliTest.run("pretrain", "--self-supervised", "simclr", "--data", VisionCliTest.DEMO, "--epochs", "2",
                "--batch", "64", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("simclr: 2 epochs on 360 images (40 held out)") && o.out().contains("train --backbone " + out), o.out());
        assertTrue(Files.isRegularFile(out.resolve("pretrain.json")) && Files.isRegularFile(out.resolve("backbone/model.onnx")));
        var record = io.transfer4j.util.Json.MAPPER.readTree(out.resolve("pretrain.json").toFile());
        assertEquals("simclr", record.path("method").asText());
        assertEquals(42, record.path("seed").asLong());
        assertEquals("smallcnn-simclr-fashion", record.path("backbone").asText());
        assertEquals(2, record.path("history").size());

        o = CliTest.run("predict", "--model", out.toString(), VisionCliTest.DEMO, "--quiet");
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("no classifier") && o.err().strip().lines().count() == 1, o.err());

        o = CliTest.run("train", "--backbone", out.toString(), "--data", VisionCliTest.DEMO, "--strategy", "linear-probe", "--seeds", "1",
                "--out", dir.resolve("probe").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("smallcnn-simclr-"), o.out());
    }

    @Test
    void refusesAnUnknownMethodInOneLine() {
        CliTest.Outcome o = CliTest.run("pretrain", "--self-supervised", "byol", "--data", VisionCliTest.DEMO, "--out",
                dir.resolve("x").toString(), "--quiet");
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("unknown self-supervised method 'byol'") && o.err().strip().lines().count() == 1, o.err());
        assertTrue(!Files.exists(dir.resolve("x")), "nothing written");
    }
}
