package io.transfer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.transfer4j.TestData;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.data.TextDataset;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.onnx.OnnxChecker;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.util.Json;
import io.transfer4j.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fewshot and fewshot eval on the committed IMDB reviews (the default encoder) and Fashion-MNIST images. */
class FewShotCliTest {
    @TempDir static Path dir;

    /** 8 reviews per class as shots, 200 others per class as the test. */
    private static Path[] shotsAndTest() throws Exception {
        TextDataset all = TestData.demo();
        TextDataset shots = all.perClass(8, 3);
        java.util.Set<String> used = new java.util.HashSet<>(shots.texts());
        List<Integer> rest = new ArrayList<>();
        Map<String, Integer> taken = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            if (!used.contains(all.texts().get(i)) && taken.merge(all.labels().get(i), 1, Integer::sum) <= 200) {
                rest.add(i);
            }
        }
        TextDataset test = all.subset(rest.stream().mapToInt(Integer::intValue).toArray(), "#test");
        return new Path[] {write(shots, "shots.csv"), write(test, "test.csv")};
    }

    private static Path write(TextDataset d, String name) throws Exception {
        StringBuilder sb = new StringBuilder("text,label\n");
        for (int i = 0; i < d.size(); i++) {
            sb.append('"').append(d.texts().get(i).replace("\"", "\"\"")).append("\",").append(d.labels().get(i)).append('\n');
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    @Test
    void eightReviewsPerClassMakeABundleThatEvaluatesAndExportsLikeAnyOther() throws Exception {
        Path[] st = shotsAndTest();
        Path out = dir.resolve("fs");
        CliTest.Outcome o = CliTest.run("fewshot", "--data", st[0].toString(), "--test", st[1].toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        // auto compared the prototypes and the probe on held-out shots, never on the test rows
        assertTrue(o.out().contains("method auto chose") && o.out().contains("8 folds") && o.out().contains("prototypes-cosine")
                && o.out().contains("probe(l2="), o.out());
        Matcher m = Pattern.compile("fewshot:bge-small-q\\+(\\S+)\\s+([\\d.]+)%").matcher(o.out());
        assertTrue(m.find(), o.out());
        double accuracy = Double.parseDouble(m.group(2));
        assertTrue(accuracy > 80, "16 labelled reviews through a pre-trained encoder: " + o.out()); // chance is 50
        JsonNode summary = Json.MAPPER.readTree(out.resolve(Bundle.SUMMARY).toFile());
        assertEquals(400, summary.get("testSize").asInt());
        assertEquals(16, summary.get("trainSize").asInt());

        // evaluate reads the bundle unchanged and agrees with the run
        CliTest.Outcome e = CliTest.run("evaluate", "--model", out.toString(), "--data", st[1].toString(), "--quiet");
        assertEquals(0, e.code(), e.err());
        Matcher em = Pattern.compile("accuracy\\s*:?\\s*([\\d.]+)%").matcher(e.out());
        assertTrue(em.find(), e.out());
        assertEquals(accuracy, Double.parseDouble(em.group(1)), 0.26, e.out());

        // cosine prototypes: the unit-length step is in the bundle and in the exported graph
        Path cos = dir.resolve("cos");
        o = CliTest.run("fewshot", "--data", st[0].toString(), "--out", cos.toString(), "--method", "prototypes", "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("scored on held-out shots") && o.out().contains("fewshot:bge-small-q+prototypes-cosine"), o.out());
        assertTrue(Json.MAPPER.readTree(cos.resolve(Bundle.MANIFEST).toFile()).get("featureUnitLength").asBoolean());
        List<String> texts = List.of("A moving, beautifully acted film.", "Dull and far too long.", "");
        float[][] bundled;
        Path tokenizer;
        try (ProbeClassifier c = Bundle.load(cos)) {
            bundled = c.probabilities(texts.subList(0, 2), Progress.SILENT);
            tokenizer = c.extractor().files().tokenizer();
        }
        Path onnx = dir.resolve("cos.onnx");
        e = CliTest.run("export", "--model", cos.toString(), "--out", onnx.toString(), "--quiet");
        assertEquals(0, e.code(), e.err());
        List<OnnxChecker.Feed> feeds = OnnxChecker.textFeeds(OnnxFile.read(onnx), tokenizer, texts.subList(0, 2), 512);
        float[][] p = FineTuneCliTest.exportedProbabilities(onnx, feeds);
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 2; k++) {
                assertEquals(bundled[i][k], p[i][k], 1e-4, "text " + i + " class " + k);
            }
        }
        assertTrue(bundled[0][1] > 0.5 && bundled[1][0] > 0.5, java.util.Arrays.deepToString(bundled));
    }

    @Test
    void unlabelledReviewsRefineThePrototypesTransductively() throws Exception {
        Path[] st = shotsAndTest();
        Path out = dir.resolve("trans");
        CliTest.Outcome o = CliTest.run("fewshot", "--data", st[0].toString(), "--test", st[1].toString(), "--unlabelled",
                st[1].toString(), "--method", "prototypes", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("fewshot:bge-small-q+prototypes-cosine+transductive"), o.out());
        o = CliTest.run("fewshot", "--data", st[0].toString(), "--test", st[1].toString(), "--unlabelled", st[1].toString(),
                "--method", "probe", "--out", dir.resolve("probe").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("unlabelled queries were not used"), o.out());
    }

    @Test
    void episodesOnNovelFashionClassesFromABackbonePretrainedOnTheOthers() throws Exception {
        Path pre = dir.resolve("pre");
        CliTest.Outcome o = CliTest.run("pretrain", "--data", VisionCliTest.DEMO, "--classes", VisionCliTest.SOURCE, "--epochs", "3",
                "--out", pre.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        Path json = dir.resolve("episodes.json");
        o = CliTest.run("fewshot", "eval", "--data", VisionCliTest.DEMO, "--classes", VisionCliTest.TARGET, "--backbone", pre.toString(),
                "--ways", "5", "--shots", "1,5", "--queries", "10", "--episodes", "100", "--method", "prototypes", "--metric", "euclidean",
                "--json", json.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        JsonNode r = Json.MAPPER.readTree(json.toFile());
        double one = r.get("results").get(0).get("meanAccuracy").asDouble();
        double five = r.get("results").get(1).get("meanAccuracy").asDouble();
        assertTrue(one > 0.35 && five > one, o.out()); // chance is 0.2
        assertTrue(r.get("results").get(1).get("ci95").asDouble() < 0.05, o.out());
        assertEquals(5, r.get("classes").size(), o.out());
        // the same seed draws the same episodes
        CliTest.Outcome again = CliTest.run("fewshot", "eval", "--data", VisionCliTest.DEMO, "--classes", VisionCliTest.TARGET, "--backbone",
                pre.toString(), "--ways", "5", "--shots", "1,5", "--queries", "10", "--episodes", "100", "--method", "prototypes",
                "--metric", "euclidean", "--json", dir.resolve("again.json").toString(), "--quiet");
        assertEquals(0, again.code(), again.err());
        JsonNode r2 = Json.MAPPER.readTree(dir.resolve("again.json").toFile());
        for (int i = 0; i < 2; i++) {
            assertEquals(r.get("results").get(i).get("meanAccuracy").asDouble(), r2.get("results").get(i).get("meanAccuracy").asDouble());
        }

        // a few-shot image bundle predicts like any image bundle
        Path shots = dir.resolve("shots5");
        for (String c : VisionCliTest.TARGET.split(",")) {
            Files.createDirectories(shots.resolve(c));
            try (var files = Files.list(Path.of(VisionCliTest.DEMO, c))) {
                for (Path f : files.sorted().limit(5).toList()) {
                    Files.copy(f, shots.resolve(c).resolve(f.getFileName()));
                }
            }
        }
        Path out = dir.resolve("img");
        o = CliTest.run("fewshot", "--data", shots.toString(), "--backbone", pre.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("method auto chose") && o.out().contains("5 folds"), o.out());
        o = CliTest.run("predict", "--model", out.toString(), VisionCliTest.DEMO + "/bag", "--quiet");
        assertEquals(0, o.code(), o.err());
        assertEquals(40, o.out().lines().filter(l -> l.contains("/bag/")).count(), o.out());
    }

    @Test
    void setFitTunesTheEncoderOnPairsAndTheBundleCarriesIt() throws Exception {
        Path[] st = shotsAndTest();
        TextDataset small = io.transfer4j.data.TextDatasetReader.labelled("text", "label").read(st[1]).perClass(20, 1);
        Path test = write(small, "small-test.csv");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countSetFitFolders(tmp);
        Path out = dir.resolve("setfit");
        CliTest.Outcome o = CliTest.run("fewshot", "--data", st[0].toString(), "--test", test.toString(), "--method", "setfit",
                "--backbone", "minilm-q", "--iterations", "1", "--max-length", "48", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("32 pairs per epoch (1 same-class and 1 other-class partners per text), texts cut to 48 tokens")
                && o.out().contains("fewshot:minilm-q+setfit(probe)"), o.out());
        assertTrue(Files.isRegularFile(out.resolve("backbone/model.onnx")), "the tuned encoder travels in the bundle");
        assertEquals(before, countSetFitFolders(tmp), "the tuned encoder's temporary folder is gone once the run is closed");
        o = CliTest.run("evaluate", "--model", out.toString(), "--data", test.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("n=40"), o.out());
    }

    private static long countSetFitFolders(Path tmp) throws Exception {
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("transfer4j-setfit-")).count();
        }
    }

    @Test
    void protoNetMetaTrainingOnBaseClassesGivesABackboneForNovelOnes() throws Exception {
        Path meta = dir.resolve("meta");
        CliTest.Outcome o = CliTest.run("meta-train", "--data", VisionCliTest.DEMO, "--classes", VisionCliTest.SOURCE, "--method", "protonet",
                "--ways", "5", "--shots", "3", "--queries", "5", "--episodes", "40", "--validation-episodes", "10", "--out", meta.toString(),
                "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("meta:smallcnn+protonet") && o.out().contains("5-way 3-shot episodes of 5 queries per class, 40 per epoch"),
                o.out());
        Matcher m = Pattern.compile("\\s+1\\s+[\\d.]+\\s+[\\d.]+\\s+([\\d.]+)%").matcher(o.out());
        assertTrue(m.find(), o.out());
        assertTrue(Double.parseDouble(m.group(1)) > 40, "validation episodes of held-out base images, chance 20%: " + o.out());
        assertTrue(!Files.exists(dir.resolve("meta.checkpoint")), "checkpoints are removed once the bundle exists");
        Path json = dir.resolve("meta-episodes.json");
        o = CliTest.run("fewshot", "eval", "--data", VisionCliTest.DEMO, "--classes", VisionCliTest.TARGET, "--backbone", meta.toString(),
                "--ways", "5", "--shots", "5", "--queries", "10", "--episodes", "50", "--method", "prototypes", "--metric", "euclidean",
                "--json", json.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(Json.MAPPER.readTree(json.toFile()).get("results").get(0).get("meanAccuracy").asDouble() > 0.4, o.out());
        o = CliTest.run("meta-train", "--data", VisionCliTest.DEMO, "--classes", VisionCliTest.SOURCE, "--ways", "5", "--shots", "5",
                "--queries", "15", "--out", dir.resolve("meta2").toString(), "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("error: 5-way episodes need 5 classes with at least 20 rows each (shots + queries) in the "
                + "fifth of") && o.err().contains("held out for validation episodes"), o.err());
    }

    @Test
    void whatCannotWorkIsAOneLineError() throws Exception {
        Path[] st = shotsAndTest();
        Path one = write(TestData.demo().perClass(1, 1), "one.csv");
        CliTest.Outcome o = CliTest.run("fewshot", "--data", one.toString(), "--out", dir.resolve("x").toString(), "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("error: with one shot per class nothing can be held out") && o.err().lines().count() == 1, o.err());
        assertTrue(!Files.exists(dir.resolve("x")));
        o = CliTest.run("fewshot", "--data", one.toString(), "--test", st[1].toString(), "--out", dir.resolve("y").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("one shot per class leaves nothing to hold out"), o.out());
        o = CliTest.run("fewshot", "eval", "--data", st[1].toString(), "--ways", "3", "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("error: 3-way episodes need 3 classes"), o.err());
        o = CliTest.run("fewshot", "--data", VisionCliTest.DEMO, "--backbone", "smallcnn", "--method", "setfit", "--out",
                dir.resolve("z").toString(), "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("error: --method setfit fine-tunes a text encoder"), o.err());
        o = CliTest.run("fewshot", "--data", st[0].toString(), "--method", "magic", "--out", dir.resolve("w").toString(), "--quiet");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("error: unknown few-shot method 'magic'"), o.err());
    }
}
