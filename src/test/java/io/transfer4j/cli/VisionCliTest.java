package io.transfer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.bundle.ImageBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The image commands end to end on the demo Fashion-MNIST folder (400 PNGs, 10 classes). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VisionCliTest {
    static final String DEMO = "data/demo/fashion";
    static final String SOURCE = "t-shirt,trouser,pullover,dress,coat";
    static final String TARGET = "sandal,shirt,sneaker,bag,boot";
    @TempDir static Path dir;

    @Test
    @Order(1)
    void pretrainWritesABundleThatTrainTransfersFrom() throws Exception {
        Path pre = dir.resolve("pre");
        CliTest.Outcome o = CliTest.run("pretrain", "--data", DEMO, "--classes", SOURCE, "--epochs", "3", "--out", pre.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(ImageBundle.isImageBundle(pre));
        assertTrue(o.out().contains("scratch:smallcnn"), o.out());

        Path tuned = dir.resolve("tuned");
        o = CliTest.run("train", "--data", DEMO, "--classes", TARGET, "--backbone", pre.toString(), "--strategy", "partial",
                "--freeze", "2", "--augment", "standard,mixup=0.2", "--epochs", "2", "--out", tuned.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        // the pre-trained network is named by its architecture and the data it learnt from, not as "scratch"
        assertTrue(o.out().contains("transfer:smallcnn-fashion+partial") && o.out().contains("scratch:smallcnn"), o.out());
        Matcher m = Pattern.compile("([\\d,]+) of ([\\d,]+) parameters trained").matcher(o.out());
        assertTrue(m.find(), o.out());
        long trained = Long.parseLong(m.group(1).replace(",", ""));
        long total = Long.parseLong(m.group(2).replace(",", ""));
        assertTrue(trained > 0 && trained < total, o.out());
        assertTrue(o.out().contains("augmentation crop=0.35,flip,rotate=10.0,jitter=0.2,erase=0.25,mixup=0.2"), o.out());

        o = CliTest.run("predict", "--model", tuned.toString(), DEMO + "/bag", "--quiet");
        assertEquals(0, o.code(), o.err());
        long rows = o.out().lines().filter(l -> l.contains("/bag/")).count();
        assertEquals(40, rows, o.out());
        Set<String> target = Set.of(TARGET.split(","));
        assertTrue(o.out().lines().filter(l -> l.contains("/bag/")).allMatch(l -> target.contains(l.trim().split("\\s+")[0])), o.out());

        Path target5 = dir.resolve("target5");
        for (String c : TARGET.split(",")) {
            java.nio.file.Files.createDirectories(target5.resolve(c));
            try (var files = Files.list(Path.of(DEMO, c))) {
                for (Path f : files.toList()) {
                    Files.copy(f, target5.resolve(c).resolve(f.getFileName()));
                }
            }
        }
        o = CliTest.run("evaluate", "--model", tuned.toString(), "--data", target5.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("accuracy") && o.out().contains("sandal"), o.out());

        Path csv = dir.resolve("pred.csv");
        o = CliTest.run("predict", "--model", tuned.toString(), "--input", DEMO + "/boot", "--output", csv.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertEquals(41, Files.readAllLines(csv).size());
        assertTrue(Files.readAllLines(csv).get(0).startsWith("image,label,p_"));
    }

    @Test
    @Order(2)
    void aBuiltInNetworkTrainsFromScratchOnAFolderOfImages() {
        Path out = dir.resolve("scratch");
        CliTest.Outcome o = CliTest.run("train", "--data", DEMO, "--backbone", "resnet18", "--strategy", "full", "--image-size", "16",
                "--epochs", "1", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("images 1x16x16;") && o.out().contains(", 10 classes,"), o.out());
        assertTrue(Files.isRegularFile(out.resolve("backbone/model.onnx")));

        // transferring from that ResNet-18 bundle compares with a fresh ResNet-18, not the small CNN
        o = CliTest.run("train", "--data", DEMO, "--classes", TARGET, "--backbone", out.toString(), "--strategy", "full",
                "--epochs", "1", "--out", dir.resolve("from-resnet").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("transfer:resnet18-fashion+full") && o.out().contains("scratch:resnet18 "), o.out());
    }

    @Test
    @Order(3)
    void imageMistakesGetOneLineErrors() throws Exception {
        CliTest.Outcome o = CliTest.run("train", "--data", DEMO, "--out", dir.resolve("x").toString(), "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("images need an image backbone"), o.err());
        o = CliTest.run("train", "--data", DEMO, "--backbone", "minilm-q", "--out", dir.resolve("x").toString(), "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("unknown image backbone 'minilm-q'") && o.err().contains("catalogue ids are text encoders"), o.err());
        o = CliTest.run("train", "--data", DEMO, "--classes", TARGET, "--backbone", dir.resolve("pre").toString(), "--strategy", "lora",
                "--lora-targets", "no-such-weight", "--epochs", "1", "--out", dir.resolve("y").toString(), "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("matches the LoRA targets 'no-such-weight'"), o.err());
        o = CliTest.run("evaluate", "--model", dir.resolve("tuned").toString(), "--data", DEMO, "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("never trained on: [coat, dress, pullover, t-shirt, trouser]"), o.err());
        assertTrue(!Files.exists(dir.resolve("x")) && !Files.exists(dir.resolve("y")));

        Path tuned = dir.resolve("tuned");
        for (var edit : java.util.List.<java.util.function.Consumer<Path>>of(CliTest::dropLastLabel, CliTest::truncateHead)) {
            Path bad = CliTest.tampered(tuned, dir.resolve("bad-" + System.nanoTime()), edit);
            o = CliTest.run("predict", "--model", bad.toString(), DEMO + "/bag", "--quiet");
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().startsWith("error: ") && o.err().contains("the bundle is damaged") && !o.err().contains("(null)"), o.err());
        }
    }

    @Test
    @Order(4)
    void optionsFromAConfigFileApplyToImageRuns() throws Exception {
        Path yaml = dir.resolve("run.yaml");
        Path out = dir.resolve("from-yaml");
        Files.writeString(yaml, "data: " + DEMO + "\nout: " + out + "\nbackbone: smallcnn\nstrategy: full\nclasses: " + TARGET
                + "\nepochs: 2\nbatch: 8\nselect-by: loss\npatience: 5\n");
        CliTest.Outcome o = CliTest.run("train", "--config", yaml.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        var manifest = io.transfer4j.util.Json.MAPPER.readTree(out.resolve("manifest.json").toFile()).get("config");
        assertEquals(2, manifest.get("epochs").asInt(), manifest.toString());
        assertEquals(8, manifest.get("batchSize").asInt(), manifest.toString());
        assertEquals("LOSS", manifest.get("selectBy").asText(), manifest.toString());
        var history = io.transfer4j.util.Json.MAPPER.readTree(out.resolve("summary.json").toFile()).at("/transfer/training/history");
        assertEquals(2, history.size(), "two epochs ran");
        // the saved options are the ones that applied: no text default for an option left unset
        String saved = Files.readString(out.resolve("config.yaml"));
        assertTrue(saved.contains("epochs: 2") && saved.contains("batch: 8") && !saved.contains("lr:"), saved);
        o = CliTest.run("train", "--data", DEMO, "--backbone", "smallcnn", "--strategy", "full", "--classes", TARGET,
                "--epochs", "1", "--out", dir.resolve("defaults").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        saved = Files.readString(dir.resolve("defaults/config.yaml"));
        assertTrue(!saved.contains("batch:") && !saved.contains("patience:") && !saved.contains("select-by:"), saved);
    }

    /** A CSV of the demo's target-class images with a group column: alternate images are "odd" and "even". */
    static Path groupedCsv(Path file) throws Exception {
        StringBuilder sb = new StringBuilder("path,label,group\n");
        int i = 0;
        for (String c : TARGET.split(",")) {
            try (var files = Files.list(Path.of(DEMO, c))) {
                for (Path f : files.sorted().toList()) {
                    sb.append(f.toAbsolutePath()).append(',').append(c).append(',').append(i++ % 2 == 0 ? "even" : "odd").append('\n');
                }
            }
        }
        return Files.writeString(file, sb.toString());
    }

    /**
     * What texts had and images lacked, now through the one pipeline: LP-FT, the guard over
     * several seeds with its interval (guard.json), the per-group bias audit, report.html.
     */
    @Test
    @Order(5)
    void imagesGetLpFtTheGuardTheBiasAuditAndTheReport() throws Exception {
        Path csv = groupedCsv(dir.resolve("grouped.csv"));
        Path out = dir.resolve("lp-ft");
        CliTest.Outcome o = CliTest.run("train", "--data", csv.toString(), "--backbone", dir.resolve("pre").toString(),
                "--strategy", "lp-ft", "--epochs", "2", "--seeds", "2", "--group-column", "group", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("transfer:smallcnn-fashion+lp-ft") && o.out().contains("scratch:smallcnn"), o.out());
        assertTrue(o.out().contains("fine-tuned (lp-ft)"), o.out());
        assertTrue(o.out().contains("transfer vs scratch over 2 seeds [42, 43]"), o.out());
        // the audit compares scratch, the linear probe and the fine-tuned network per group
        assertTrue(o.out().contains("bias audit") && o.out().contains("transfer:smallcnn-fashion+linear-probe  even"), o.out());
        var guard = io.transfer4j.util.Json.MAPPER.readTree(out.resolve("guard.json").toFile());
        assertEquals(2, guard.get("seeds").size(), guard.toString());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Bias audit") && html.contains("over 2 seeds") && html.contains("images"), "report.html for images");
        assertTrue(Files.isRegularFile(out.resolve("loss.png")));
        o = CliTest.run("evaluate", "--model", out.toString(), "--data", csv.toString(), "--group-column", "group", "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("accuracy") && o.out().contains("bias audit") && o.out().contains("odd"), o.out());

        // groups come from a CSV column: a folder has none to give
        o = CliTest.run("train", "--data", DEMO, "--backbone", "smallcnn", "--strategy", "full", "--group-column", "group",
                "--out", dir.resolve("z").toString(), "--quiet");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--group-column reads a column of a CSV of images"), o.err());
        assertTrue(!Files.exists(dir.resolve("z")));
    }

    /** LoRA on a CNN: adapters on its convolutions and dense weights, a few percent of the parameters trained. */
    @Test
    @Order(6)
    void loraAdaptsACnnsConvolutions() {
        Path out = dir.resolve("lora");
        CliTest.Outcome o = CliTest.run("train", "--data", DEMO, "--classes", TARGET, "--backbone", dir.resolve("pre").toString(),
                "--strategy", "lora", "--lora-rank", "4", "--epochs", "2", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        Matcher m = Pattern.compile("fine-tuned \\(lora\\): ([\\d,]+) of ([\\d,]+) parameters trained \\([\\d.]+%\\), LoRA on (\\d+) weight")
                .matcher(o.out());
        assertTrue(m.find(), o.out());
        long trained = Long.parseLong(m.group(1).replace(",", ""));
        long total = Long.parseLong(m.group(2).replace(",", ""));
        assertTrue(trained < total / 10 && Integer.parseInt(m.group(3)) >= 3, o.out());
        o = CliTest.run("export", "--model", out.toString(), "--out", dir.resolve("lora.onnx").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        o = CliTest.run("onnx", "check", dir.resolve("lora.onnx").toString(), "--quiet");
        assertEquals(0, o.code(), o.out() + o.err());
    }

    /**
     * Mixed precision through the CLI: LoRA on the pre-trained CNN's convolutions with their products
     * in bf16 trains, records the precision it ran in, and exports a file ONNX Runtime runs.
     */
    @Test
    @Order(6)
    void bf16LoraOnACnnTrainsAndRecordsItsPrecision() throws Exception {
        Path out = dir.resolve("lora-bf16");
        CliTest.Outcome o = CliTest.run("train", "--data", DEMO, "--classes", TARGET, "--backbone", dir.resolve("pre").toString(),
                "--strategy", "lora", "--lora-rank", "4", "--epochs", "2", "--precision", "bf16", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        var optimization = io.transfer4j.util.Json.MAPPER.readTree(out.resolve("summary.json").toFile()).findValue("precision");
        assertEquals("BF16", optimization.asText());
        o = CliTest.run("export", "--model", out.toString(), "--out", dir.resolve("lora-bf16.onnx").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        o = CliTest.run("train", "--data", DEMO, "--backbone", "smallcnn", "--strategy", "full", "--precision", "fp16",
                "--out", dir.resolve("y").toString(), "--quiet");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("unknown precision 'fp16'; use fp32, bf16 or auto"), o.err());
        assertTrue(!Files.exists(dir.resolve("y")));
    }

    /** An image bundle exports to one ONNX file that ONNX Runtime runs alone and that predicts what the bundle predicts. */
    @Test
    @Order(7)
    void anImageBundleExportsToOneOnnxFileThatAgreesWithIt() throws Exception {
        Path onnx = dir.resolve("images.onnx");
        CliTest.Outcome o = CliTest.run("export", "--model", dir.resolve("lp-ft").toString(), "--out", onnx.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("input pixels [N, 1, 28, 28]"), o.out());
        o = CliTest.run("onnx", "check", onnx.toString(), "--quiet");
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("OK: worst"), o.out());

        try (var m = io.transfer4j.bundle.ImageBundle.load(dir.resolve("lp-ft"))) {
            var shape = m.backbone().shape();
            var bags = io.transfer4j.data.ImageDatasetReader.defaults().read(groupedCsv(dir.resolve("again.csv")), shape);
            float[][] expected = m.probabilities(bags, io.transfer4j.util.Progress.SILENT);
            int n = bags.size();
            int per = bags.pixelsPerImage();
            float[] pixels = new float[n * per];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < per; j++) {
                    pixels[i * per + j] = (bags.pixels()[i][j] & 0xff) / 255f;
                }
            }
            var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
            try (var session = env.createSession(onnx.toString(), new ai.onnxruntime.OrtSession.SessionOptions());
                    var in = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(pixels),
                            new long[] {n, shape.channels(), shape.height(), shape.width()});
                    var r = session.run(java.util.Map.of("pixels", in))) {
                float[][] got = (float[][]) r.get("probabilities").get().getValue();
                for (int i = 0; i < n; i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected[i], got[i], 1e-4f, "image " + i);
                }
            }
        }
    }

    /**
     * rank and advise read images through the same scores as texts; train without --strategy on
     * images chooses among probe, partial and full on validation, and says so.
     */
    @Test
    @Order(8)
    void rankAdviseAndTheDefaultStrategyWorkOnImages() throws Exception {
        Path csv = groupedCsv(dir.resolve("rank.csv"));
        String pre = dir.resolve("pre").toString();
        String tuned = dir.resolve("lp-ft").toString();
        CliTest.Outcome o = CliTest.run("rank", "--data", csv.toString(), "--test-data", csv.toString(), "--backbones", pre + "," + tuned,
                "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("200 images, 5 classes") && o.out().contains("probe test acc") && o.out().contains("LogME "),
                o.out());
        assertTrue(o.out().lines().filter(l -> l.contains(pre) || l.contains(tuned)).count() >= 2, o.out());

        o = CliTest.run("advise", "--data", csv.toString(), "--backbones", pre, "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("advice: --backbone " + pre + " --strategy ") && o.out().contains("strategy auto chose"), o.out());

        o = CliTest.run("rank", "--data", csv.toString(), "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("rank on images needs --backbones"), o.err());

        Path out = dir.resolve("auto");
        o = CliTest.run("train", "--data", csv.toString(), "--backbone", pre, "--epochs", "2", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        Matcher m = Pattern.compile("strategy auto chose (linear-probe|partial|full) by validation accuracy: linear-probe [\\d.]+% .*"
                + "partial [\\d.]+% .*full [\\d.]+%").matcher(o.out());
        assertTrue(m.find(), o.out());
        assertTrue(o.out().contains("transfer:smallcnn-fashion+" + m.group(1)), o.out());
        var summary = io.transfer4j.util.Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals(m.group(1), summary.at("/choice/chosen").asText(), "the choice is recorded with the run");
        assertEquals(3, summary.at("/choice/candidates").size());
    }

    /** The curve runs on images through the same code as on texts: scratch and each strategy per budget and seed. */
    @Test
    @Order(9)
    void curveRunsOnImages() throws Exception {
        Path out = dir.resolve("curve");
        CliTest.Outcome o = CliTest.run("curve", "--data", DEMO, "--test-data", DEMO, "--classes", TARGET, "--backbone",
                dir.resolve("pre").toString(), "--budgets", "4", "--seeds", "2", "--strategies", "linear-probe,lp-ft", "--epochs", "2",
                "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("scratch %") && o.out().contains("lp-ft %") && o.out().contains("augmentation none"), o.out());
        var curve = io.transfer4j.util.Json.MAPPER.readTree(out.resolve("curve.json").toFile());
        assertEquals(2, curve.at("/rows/0/cells/scratch/accuracy").size(), curve.toString());
        assertEquals(15, curve.at("/rows/0/trainRows").asInt(), "4 per class, one of them validates: 3 x 5 classes");
    }
}
