package io.transfer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user drives it: exit codes, one-line errors, files written or not. */
class CliTest {
    @TempDir static Path dir;
    static Path model;
    static Path train;
    static Path test;

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path csv(String name, List<String> texts, List<String> labels) throws IOException {
        StringBuilder sb = new StringBuilder("text,label\n");
        for (int i = 0; i < texts.size(); i++) {
            sb.append('"').append(texts.get(i).replace("\"", "\"\"")).append("\",").append(labels.get(i)).append('\n');
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    @BeforeAll
    static void trainOnce() throws IOException {
        var split = TestData.smallSplit();
        train = csv("train.csv", split.train().texts(), split.train().labels());
        test = csv("test.csv", split.test().texts(), split.test().labels());
        model = dir.resolve("model");
        Outcome o = run("train", "--data", train.toString(), "--test-data", test.toString(), "--out", model.toString(),
                "--max-length", "128", "--max-windows", "1", "--quiet", "--seed", "5");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("transfer:bge-small-q+logistic"), o.out());
        assertTrue(o.out().contains("scratch:hashed-ngrams+linear"), o.out());
        assertTrue(o.out().contains("transfer vs scratch over 3 seeds [5, 6, 7]"), o.out());
        assertTrue(Files.isRegularFile(model.resolve("guard.json")));
    }

    @Test
    void predictArgumentsAndFileAndEvaluate() throws IOException {
        Outcome p = run("predict", "--model", model.toString(), "--quiet",
                "An absolute masterpiece, moving and beautifully acted.", "Dreadful. Boring plot, wooden acting, a waste of time.");
        assertEquals(0, p.code(), p.err());
        String[] lines = p.out().strip().split("\n");
        assertTrue(lines[2].startsWith("positive"), p.out());
        assertTrue(lines[3].startsWith("negative"), p.out());

        Path preds = dir.resolve("preds.csv");
        Outcome f = run("predict", "--model", model.toString(), "--input", test.toString(), "--output", preds.toString(), "--quiet");
        assertEquals(0, f.code(), f.err());
        List<String> rows = Files.readAllLines(preds);
        assertEquals("text,label,p_negative,p_positive", rows.get(0));

        Path json = dir.resolve("metrics.json");
        Outcome e = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--json", json.toString(), "--quiet");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("accuracy") && e.out().contains("true \\ predicted"), e.out());
        assertTrue(Files.readString(json).contains("\"macroF1\""));
    }

    static void assertOneLineError(Outcome o, String expected) {
        assertEquals(2, o.code(), o.out() + o.err());
        String err = o.err().strip();
        assertTrue(err.startsWith("error: "), err);
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.contains(expected), err);
    }

    @Test
    void badInputGivesOneLineErrorsAndWritesNothing() throws IOException {
        Path out = dir.resolve("should-not-exist");
        assertOneLineError(run("train", "--data", dir.resolve("missing.csv").toString(), "--out", out.toString()), "does not exist");
        Path wrongCols = Files.writeString(dir.resolve("cols.csv"), "review,stars\nfine,5\n");
        assertOneLineError(run("train", "--data", wrongCols.toString(), "--out", out.toString()), "column 'text' not found");
        Path single = csv("single.csv", List.of("a", "b", "c", "d"), List.of("pos", "pos", "pos", "pos"));
        assertOneLineError(run("train", "--data", single.toString(), "--out", out.toString(), "--quiet"), "single class");
        Path latin = dir.resolve("latin.csv");
        Files.write(latin, "text,label\nna\u00efve,pos\n".getBytes(StandardCharsets.ISO_8859_1));
        assertOneLineError(run("train", "--data", latin.toString(), "--out", out.toString()), "not valid UTF-8");
        assertOneLineError(run("train", "--data", train.toString(), "--out", out.toString(), "--backbone", "nope", "--quiet"),
                "unknown backbone 'nope'");
        assertOneLineError(run("train", "--data", train.toString(), "--out", out.toString(), "--max-length", "4096", "--quiet"),
                "exceeds what bge-small-q supports");
        // one parser of --backbone for every modality; each says what it cannot read
        assertOneLineError(run("train", "--data", train.toString(), "--out", out.toString(), "--backbone", "resnet18", "--quiet"),
                "'resnet18' is a built-in image architecture; texts need a sentence encoder");
        assertOneLineError(run("train", "--data", train.toString(), "--out", out.toString(), "--backbone", model.toString(), "--quiet"),
                "holds a head on a catalogue encoder, not an encoder of its own");
        assertFalse(Files.exists(out), "no output after a failed run");

        Path unseen = csv("unseen.csv", List.of("meh", "fine"), List.of("neutral", "positive"));
        assertOneLineError(run("evaluate", "--model", model.toString(), "--data", unseen.toString(), "--quiet"),
                "labels the model was never trained on: [neutral]");
        assertOneLineError(run("predict", "--model", dir.resolve("no-model").toString(), "hi"), "does not exist");
        assertOneLineError(run("predict", "--model", model.toString()), "give either texts");
    }

    @Test
    void rankScoresTheDefaultBackboneOnTheTrainingTexts() throws IOException {
        Path json = dir.resolve("rank.json");
        Outcome o = run("rank", "--data", train.toString(), "--backbones", "bge-small-q", "--max-length", "128",
                "--json", json.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("bge-small-q") && o.out().contains("LogME"), o.out());
        assertTrue(Files.readString(json).contains("\"logMe\""));
    }

    /** The data-efficiency curve runs on texts through the same code as on images: scratch and each strategy per budget. */
    @Test
    void curveRunsOnTextsToo() throws IOException {
        Path json = dir.resolve("curve");
        Outcome o = run("curve", "--data", train.toString(), "--test-data", test.toString(), "--budgets", "5,20", "--strategies",
                "linear-probe", "--seeds", "2", "--max-length", "128", "--max-windows", "1", "--out", json.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("scratch %") && o.out().contains("linear-probe %") && o.out().contains("best - scratch"), o.out());
        var curve = io.transfer4j.util.Json.MAPPER.readTree(json.resolve("curve.json").toFile());
        assertEquals(2, curve.get("rows").size(), curve.toString());
        assertEquals(8, curve.get("rows").get(0).get("trainRows").asInt(), "5 per class, 80% of them train: 4 per class");
        assertEquals(2, curve.get("rows").get(1).get("cells").get("linear-probe").get("accuracy").size());
    }

    @Test
    void rankScoresEveryLayerAsACandidate() throws IOException {
        var split = TestData.smallSplit();
        Path few = csv("few.csv", split.train().texts().subList(0, 60), split.train().labels().subList(0, 60));
        Outcome o = run("rank", "--data", few.toString(), "--backbones", "bge-small-q", "--layers", "--max-length", "64", "--quiet");
        assertEquals(0, o.code(), o.err());
        for (int layer = 0; layer < 12; layer++) {
            assertTrue(o.out().contains("bge-small-q@encoder.layer." + layer + " "), "layer " + layer + " in\n" + o.out());
        }
    }

    @Test
    void rankChecksTheScoresAgainstProbeAccuracyOnTestData() throws IOException {
        var split = TestData.smallSplit();
        Path few = csv("few-tau.csv", split.train().texts().subList(0, 80), split.train().labels().subList(0, 80));
        Path json = dir.resolve("rank-tau.json");
        Outcome o = run("rank", "--data", few.toString(), "--test-data", test.toString(), "--backbones", "minilm-q",
                "--layers", "3", "--max-length", "64", "--json", json.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        for (int layer : new int[] {1, 3, 5}) {
            assertTrue(o.out().contains("minilm-q@encoder.layer." + layer + " "), "layer " + layer + " in\n" + o.out());
        }
        assertFalse(o.out().contains("minilm-q@encoder.layer.0 "), o.out());
        assertTrue(o.out().contains("probe test acc") && o.out().contains("weighted Kendall tau"), o.out());
        String j = Files.readString(json);
        assertTrue(j.contains("\"probeAccuracy\"") && j.contains("\"LogME\""), j);
        assertOneLineError(run("rank", "--data", few.toString(), "--layers", "0", "--quiet"), "--layers takes a positive number");
    }

    @Test
    void aBackboneCutAfterAnInnerLayerTrainsAndTravelsInTheBundle() throws IOException {
        Path out = dir.resolve("cut");
        Outcome o = run("train", "--data", train.toString(), "--test-data", test.toString(), "--backbone", "minilm-q@encoder.layer.2",
                "--out", out.toString(), "--max-length", "64", "--max-windows", "1", "--seeds", "1", "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("transfer:minilm-q@encoder.layer.2+logistic"), o.out());
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"source\" : \"bundle:backbone/model.onnx\""));
        assertTrue(Files.isRegularFile(out.resolve("backbone/model.onnx")));
        Outcome p = run("predict", "--model", out.toString(), "--quiet", "A wonderful, moving film.");
        assertEquals(0, p.code(), p.err());
        assertOneLineError(run("train", "--data", train.toString(), "--backbone", "minilm-q@encoder.layer.9",
                "--out", dir.resolve("nope").toString(), "--quiet"), "has no layer 'encoder.layer.9'");
    }

    @Test
    void trainAuditsBiasPerGroupAndEvaluateToo() throws IOException {
        var split = TestData.smallSplit();
        Path grouped = grouped("grouped-train.csv", split.train().texts(), split.train().labels());
        Path groupedTest = grouped("grouped-test.csv", split.test().texts(), split.test().labels());
        Path out = dir.resolve("audited");
        Outcome o = run("train", "--data", grouped.toString(), "--test-data", groupedTest.toString(), "--group-column", "length",
                "--out", out.toString(), "--max-length", "128", "--max-windows", "1", "--seeds", "1", "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("bias audit (test split; TPR/FPR of class positive)"), o.out());
        String audit = o.out().substring(o.out().indexOf("bias audit"));
        for (String model : List.of("scratch:hashed-ngrams+linear", "transfer:bge-small-q+logistic")) {
            assertTrue(audit.lines().filter(l -> l.contains(model) && (l.contains(" short ") || l.contains(" long "))).count() == 2,
                    model + " has a row per group in\n" + audit);
            assertTrue(audit.lines().anyMatch(l -> l.contains(model) && l.contains("largest gap")), audit);
        }
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"bias\""));
        assertTrue(Files.readString(out.resolve("report.html")).contains("Bias audit"));
        Outcome e = run("evaluate", "--model", out.toString(), "--data", groupedTest.toString(), "--group-column", "length", "--quiet");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("short") && e.out().contains("largest gap"), e.out());
        assertOneLineError(run("evaluate", "--model", out.toString(), "--data", test.toString(), "--group-column", "length", "--quiet"),
                "column 'length' not found");
    }

    /** The texts with a real group column: whether the review is short (under 400 characters) or long. */
    private static Path grouped(String name, List<String> texts, List<String> labels) throws IOException {
        StringBuilder sb = new StringBuilder("text,label,length\n");
        for (int i = 0; i < texts.size(); i++) {
            sb.append('"').append(texts.get(i).replace("\"", "\"\"")).append("\",").append(labels.get(i)).append(',')
                    .append(texts.get(i).length() < 400 ? "short" : "long").append('\n');
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    /** A copy of the trained bundle with one file changed by {@code edit}. */
    static Path tampered(Path bundle, Path copy, java.util.function.Consumer<Path> edit) throws IOException {
        Files.createDirectories(copy);
        try (var files = Files.walk(bundle)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(bundle.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        edit.accept(copy);
        return copy;
    }

    static void dropLastLabel(Path bundle) {
        try {
            var json = (com.fasterxml.jackson.databind.node.ObjectNode) io.transfer4j.util.Json.MAPPER.readTree(
                    bundle.resolve("manifest.json").toFile());
            var labels = (com.fasterxml.jackson.databind.node.ArrayNode) json.get("labels");
            labels.remove(labels.size() - 1);
            Files.write(bundle.resolve("manifest.json"), io.transfer4j.util.Json.bytes(json));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void truncateHead(Path bundle) {
        try {
            byte[] b = Files.readAllBytes(bundle.resolve("head.params"));
            Files.write(bundle.resolve("head.params"), java.util.Arrays.copyOf(b, b.length / 2));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBundleWhoseFilesDisagreeIsReportedAsDamaged() throws IOException {
        Outcome o = run("predict", "--model", tampered(model, dir.resolve("fewer-labels"), CliTest::dropLastLabel).toString(), "--quiet", "Great.");
        assertOneLineError(o, "the bundle is damaged");
        assertTrue(o.err().contains("head.params") && o.err().contains("shape"), o.err());
        o = run("predict", "--model", tampered(model, dir.resolve("truncated"), CliTest::truncateHead).toString(), "--quiet", "Great.");
        assertOneLineError(o, "the bundle is damaged");
        assertTrue(o.err().contains("truncated") && !o.err().contains("(null)"), o.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("quickstart", "train", "predict", "evaluate", "backbones", "rank", "bench", "onnx")) {
            Outcome o = run(cmd, "--help");
            assertEquals(0, o.code(), cmd);
            assertTrue(o.out().contains("Usage: transfer4j " + cmd), o.out());
        }
        // every help page, nested sub-commands included, renders without picocli warnings (an unescaped % in a description)
        Outcome top = run("--help");
        assertEquals(0, top.code());
        assertFalse(top.err().contains("WARN"), top.err());
        var cli = new picocli.CommandLine(new Main());
        for (var sub : cli.getSubcommands().entrySet()) {
            Outcome o = run(sub.getKey(), "--help");
            assertFalse(o.err().contains("WARN"), sub.getKey() + ": " + o.err());
            if (sub.getValue().getSubcommands().isEmpty() && !sub.getKey().equals("help")) {
                assertTrue(o.out().contains("--quiet"), sub.getKey() + " takes --quiet");
            }
            for (String nested : sub.getValue().getSubcommands().keySet()) {
                Outcome n = run(sub.getKey(), nested, "--help");
                assertFalse(n.err().contains("WARN"), sub.getKey() + " " + nested + ": " + n.err());
                if (!sub.getKey().equals("backbones")) { // listing and registering the catalogue do no long work
                    assertTrue(n.out().contains("--quiet"), sub.getKey() + " " + nested + " takes --quiet");
                }
            }
        }
        Outcome list = run("backbones");
        assertEquals(0, list.code());
        for (String id : List.of("minilm", "minilm-q", "bge-small", "bge-small-q", "e5-small", "e5-small-q")) {
            assertTrue(list.out().contains(id), list.out());
        }
    }
}
