package io.transfer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.data.TextDataset;
import io.transfer4j.data.TextDatasetReader;
import io.transfer4j.spark.cli.SparkMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code transfer4j spark train | predict} as a user runs them: exit codes, outputs, one-line errors. */
class SparkCliTest {
    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return new Outcome(SparkMain.execute(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Every fourth demo review, as a CSV of its own. */
    static Path subset(Path dir) throws Exception {
        TextDataset all = TextDatasetReader.labelled("text", "label").read(Path.of("../data/demo/imdb-demo.csv"));
        List<String> lines = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < all.size(); i += 4) {
            lines.add("\"" + all.texts().get(i).replace("\"", "\"\"") + "\"," + all.labels().get(i));
        }
        return Files.write(dir.resolve("reviews.csv"), lines);
    }

    @Test
    void trainThenPredictOverAFolderOfParts(@TempDir Path tmp) throws Exception {
        Path csv = subset(tmp);
        Path model = tmp.resolve("model");
        Outcome t = run("train", "--master", "local[2]", "--data", csv.toString(), "--max-length", "64", "--sample", "300",
                "--seeds", "2", "--out", model.toString(), "-q");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("transfer:spark+linear"), t.out());
        assertTrue(t.out().contains("transfer vs scratch over 2 seeds"), t.out());
        assertTrue(Files.isDirectory(model.resolve("spark-model")));
        Path out = tmp.resolve("predictions.csv");
        Outcome p = run("predict", "--master", "local[2]", "--model", model.toString(), "--input", csv.toString(), "--output",
                out.toString(), "--label-column", "label", "-q");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("predicted 400 rows"), p.out());
        assertTrue(p.out().contains("accuracy against label"), p.out());
        List<String> header = new ArrayList<>();
        long rows = 0;
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : (Iterable<Path>) parts.filter(f -> f.getFileName().toString().endsWith(".csv"))::iterator) {
                List<String> lines = Files.readAllLines(part);
                header.add(lines.get(0));
                rows += TextDatasetReader.unlabelled("text").read(part).size();
            }
        }
        assertEquals(400, rows);
        assertTrue(header.get(0).startsWith("text,label,prediction,p_negative,p_positive"), header.get(0));
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertFalse(siblings.anyMatch(f -> f.getFileName().toString().startsWith(".tmp-")), "no temporary output left behind");
        }
    }

    @Test
    void badInputExitsWithOneLine(@TempDir Path tmp) throws Exception {
        Outcome missing = run("train", "--master", "local[1]", "--data", tmp.resolve("nope.csv").toString(), "--out",
                tmp.resolve("m").toString(), "-q");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("error: input " + tmp.resolve("nope.csv") + " does not exist"), missing.err());
        assertFalse(Files.exists(tmp.resolve("m")));
        Outcome noModel = run("predict", "--master", "local[1]", "--model", tmp.toString(), "--input", subset(tmp).toString(),
                "--output", tmp.resolve("o").toString(), "-q");
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().contains("is not a transfer4j bundle"), noModel.err());
        Outcome head = run("train", "--head", "forest", "--data", subset(tmp).toString(), "--out", tmp.resolve("m").toString());
        assertEquals(2, head.code());
        assertTrue(head.err().contains("unknown head trainer 'forest'"), head.err());
    }
}
