package io.transfer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster on the demo images and texts, and adapt's one-line errors. */
class ClusterAdaptCliTest {
    @TempDir Path dir;

    private static double nmi(String out) {
        Matcher m = Pattern.compile("NMI \\(V-measure\\) ([\\d.]+), ARI (-?[\\d.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void pixelsOfTheDemoFashionImagesClusterByClass() throws Exception {
        Path out = dir.resolve("km");
        CliTest.Outcome o = CliTest.run("cluster", "--data", VisionCliTest.DEMO, "--raw", "--k", "10", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        // k-means on Fashion-MNIST pixels is known to reach an NMI of about 0.5; chance is 0
        double km = nmi(o.out());
        assertTrue(km > 0.35 && km < 0.8, o.out());
        assertEquals(401, Files.readAllLines(out.resolve("clusters.csv")).size(), "a header and one line per image");
        o = CliTest.run("cluster", "--data", VisionCliTest.DEMO, "--raw", "--k", "10", "--algorithm", "agglomerative", "--out",
                dir.resolve("ward").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(nmi(o.out()) > 0.35, o.out());
    }

    @Test
    void unlabelledTextsClusterWithKChosenBySilhouette() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("data/demo/imdb-demo.csv"));
        Path csv = dir.resolve("texts.csv");
        Files.write(csv, lines.subList(0, 121));
        CliTest.Outcome o = CliTest.run("cluster", "--data", csv.toString(), "--unlabelled", "--raw", "--k-max", "4", "--out",
                dir.resolve("t").toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("(by silhouette)") && o.out().contains("silhouette per k: 2:") && !o.out().contains("NMI"), o.out());
    }

    @Test
    void adaptRefusesWhatCannotWorkInOneLine() {
        String demo = "data/demo/imdb-demo.csv";
        CliTest.Outcome o = CliTest.run("adapt", "--source", demo, "--target", demo, "--method", "adabn", "--out",
                dir.resolve("a").toString(), "--quiet");
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("adabn re-estimates BatchNorm statistics") && o.err().strip().lines().count() == 1, o.err());
        o = CliTest.run("adapt", "--source", demo, "--target", demo, "--method", "mcd", "--out", dir.resolve("a").toString());
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("unknown adaptation method 'mcd'"), o.err());
        o = CliTest.run("adapt", "--source", demo, "--target", dir.resolve("missing.csv").toString(), "--out", dir.resolve("a").toString());
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("missing.csv"), o.err());
        assertTrue(!Files.exists(dir.resolve("a")), "no half-written output");
    }
}
