package io.transfer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.bundle.AudioBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audio commands end to end on a small keyword-spotting set built by scripts/make-kws.sh
 * (3 words, espeak-ng voices, Sonic Pi backgrounds; the test voices never speak in training),
 * transferred from the real speech embedding.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AudioCliTest {
    @TempDir static Path dir;
    static Path kws;

    @BeforeAll
    static void buildData() throws Exception {
        kws = dir.resolve("kws");
        Process p = new ProcessBuilder("scripts/make-kws.sh", kws.toString(), "--words", "yes,no,stop", "--train-variants", "6",
                "--test-variants", "2", "--accents", "2", "--seed", "3").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        assertTrue(log.contains("36 train and 12 test clips"), log);
    }

    @Test
    @Order(1)
    void aProbeOnTheSpeechEmbeddingTrainsPredictsAndEvaluatesPerClip() throws Exception {
        Path out = dir.resolve("probe");
        CliTest.Outcome o = CliTest.run("train", "--data", kws.resolve("train").toString(), "--test-data", kws.resolve("test").toString(),
                "--strategy", "linear-probe", "--seeds", "1", "--epochs", "3", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("transfer:speech-embedding+linear-probe") && o.out().contains("scratch:smallcnn"), o.out());
        assertTrue(o.out().contains("clips 1.80 s at 16000 Hz") && o.out().contains("7 window(s) each"), o.out());
        assertTrue(AudioBundle.isAudioBundle(out));
        assertTrue(Files.isRegularFile(out.resolve("backbone/frontend.onnx")) && Files.isRegularFile(out.resolve("backbone/encoder.onnx")));
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"clipSeconds\" : 1.8"), summary);
        // per-clip results: every model's wrong test clips by file, in summary.json and report.html
        java.util.regex.Matcher wrong = java.util.regex.Pattern.compile("\"row\" : \"([^\"]+)\"").matcher(summary);
        if (wrong.find()) {
            assertTrue(wrong.group(1).contains("/test/") && wrong.group(1).endsWith(".wav"), wrong.group(1));
            assertTrue(Files.readString(out.resolve("report.html")).contains("misclassified test rows"));
        } else {
            assertTrue(summary.contains("\"misclassified\" : [ ]"), summary);
        }

        o = CliTest.run("predict", "--model", out.toString(), kws.resolve("test/stop").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertEquals(4, o.out().lines().filter(l -> l.contains("/test/stop/")).count(), o.out());

        Path csv = dir.resolve("pred.csv");
        o = CliTest.run("predict", "--model", out.toString(), "--input", kws.resolve("test.csv").toString(), "--output", csv.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertEquals(13, Files.readAllLines(csv).size());
        assertTrue(Files.readAllLines(csv).get(0).startsWith("clip,label,p_"), Files.readAllLines(csv).get(0));

        o = CliTest.run("evaluate", "--model", out.toString(), "--data", kws.resolve("test.csv").toString(), "--group-column", "voice", "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("n=12") && o.out().contains("bias audit") && o.out().contains("en-us+"), o.out());
        assertTrue(o.out().contains("misclassified") || o.out().contains("no file misclassified"), o.out());
    }

    @Test
    @Order(2)
    void fineTuningWithAugmentationWritesABundleThatIsItselfABackbone() {
        Path tuned = dir.resolve("tuned");
        CliTest.Outcome o = CliTest.run("train", "--data", kws.resolve("train.csv").toString(), "--strategy", "lp-ft", "--augment",
                "standard,noise=10", "--noise", kws.resolve("noise").toString(), "--epochs", "2", "--out", tuned.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("transfer:speech-embedding+lp-ft"), o.out());
        assertTrue(o.out().contains("augmentation shift=0.1,gain=6.0,speed=0.1,noise=10.0,timemask=2,freqmask=2"), o.out());
        assertTrue(o.out().matches("(?s).*[\\d,]+ of [\\d,]+ parameters trained.*"), o.out());

        o = CliTest.run("train", "--data", kws.resolve("train.csv").toString(), "--backbone", tuned.toString(), "--strategy",
                "linear-probe", "--seeds", "1", "--epochs", "2", "--out", dir.resolve("from-tuned").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("transfer:speech-embedding+lp-ft+linear-probe"), o.out());
    }

    @Test
    @Order(3)
    void aFreshCnnTrainsOnLogMelWindowsWithoutAScratchTwinAndPretrainsABackbone() {
        Path out = dir.resolve("fresh");
        CliTest.Outcome o = CliTest.run("train", "--data", kws.resolve("train").toString(), "--backbone", "smallcnn", "--strategy", "full",
                "--epochs", "2", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("scratch:smallcnn") && !o.out().contains("transfer:"), o.out());

        Path pre = dir.resolve("pre");
        o = CliTest.run("pretrain", "--data", kws.resolve("train").toString(), "--epochs", "2", "--out", pre.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(AudioBundle.isAudioBundle(pre));
        o = CliTest.run("train", "--data", kws.resolve("train").toString(), "--backbone", pre.toString(), "--strategy", "partial",
                "--epochs", "1", "--out", dir.resolve("from-pre").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        // the pre-trained CNN is named by what it is and what it learnt from; the baseline is a fresh one of the same architecture
        assertTrue(o.out().contains("transfer:smallcnn-train+partial") && o.out().contains("scratch:smallcnn"), o.out());
    }

    @Test
    @Order(4)
    void theCurveRunsOnClips() {
        CliTest.Outcome o = CliTest.run("curve", "--data", kws.resolve("train.csv").toString(), "--test-data", kws.resolve("test.csv").toString(),
                "--budgets", "3", "--strategies", "linear-probe", "--seeds", "1", "--epochs", "1", "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("clips of 1.80 s") && o.out().contains("linear-probe"), o.out());
    }

    @Test
    @Order(4)
    void anOnnxEncoderByPathRanksLikeTheCatalogueEntryItIs() {
        java.nio.file.Path file = io.transfer4j.backbone.AudioBackbones.speechEmbedding().onnx();
        CliTest.Outcome o = CliTest.run("rank", "--data", kws.resolve("train.csv").toString(), "--backbones",
                "speech-embedding," + file, "--quiet");
        assertEquals(0, o.code(), o.err());
        java.util.List<String> rows = o.out().lines().filter(l -> l.matches("\\s+\\d+\\s+.*")).toList();
        assertEquals(2, rows.size(), o.out());
        // the same graph read by path takes the same log-mel windows: the same LogME, H-score and 10-NN accuracy
        assertEquals(rows.get(0).trim().split("\\s+", 3)[2].substring(0, 30), rows.get(1).trim().split("\\s+", 3)[2].substring(0, 30), o.out());
    }

    @Test
    @Order(5)
    void badAudioIsAOneLineErrorNamingTheFileAndWritesNothing() throws Exception {
        Path bad = dir.resolve("bad");
        for (String c : new String[] {"yes", "no"}) {
            Files.createDirectories(bad.resolve(c));
            try (var files = Files.list(kws.resolve("train").resolve(c))) {
                for (Path f : files.limit(3).toList()) {
                    Files.copy(f, bad.resolve(c).resolve(f.getFileName()));
                }
            }
        }
        Files.writeString(bad.resolve("no/broken.wav"), "RIFF....WAVEjunk");
        Path out = dir.resolve("never");
        CliTest.assertOneLineError(CliTest.run("train", "--data", bad.toString(), "--out", out.toString(), "--quiet"), "broken.wav");
        assertFalse(Files.exists(out));

        Files.delete(bad.resolve("no/broken.wav"));
        CliTest.assertOneLineError(CliTest.run("train", "--data", bad.toString(), "--augment", "noise", "--out", out.toString(), "--quiet"),
                "--noise DIR");
        try (var files = Files.list(bad.resolve("no"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(bad.resolve("no"));
        CliTest.assertOneLineError(CliTest.run("train", "--data", bad.toString(), "--out", out.toString(), "--quiet"), "single class");
        assertFalse(Files.exists(out));
    }

    @Test
    @Order(6)
    void aTamperedAudioBundleIsRefused() throws Exception {
        Path copy = CliTest.tampered(dir.resolve("probe"), dir.resolve("tampered"), b -> {
            try {
                Files.write(b.resolve("backbone/encoder.onnx"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CliTest.assertOneLineError(CliTest.run("predict", "--model", copy.toString(), kws.resolve("test/yes").toString(), "--quiet"),
                "was modified or damaged");
        // what audio cannot do yet is said as such, not as a damaged bundle or a missing text column
        CliTest.assertOneLineError(CliTest.run("export", "--model", dir.resolve("probe").toString(), "--out",
                dir.resolve("x.onnx").toString()), "does not write as one ONNX file yet");
        CliTest.assertOneLineError(CliTest.run("advise", "--data", kws.resolve("train.csv").toString()), "advise does not read yet");
    }
}
