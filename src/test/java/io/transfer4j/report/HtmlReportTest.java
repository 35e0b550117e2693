package io.transfer4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.run.ModelResult;
import io.transfer4j.run.RunConfig;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.run.TransferRun;
import io.transfer4j.data.LabelMap;
import io.transfer4j.eval.BiasAudit;
import io.transfer4j.eval.GroupAudit;
import io.transfer4j.eval.Metrics;
import io.transfer4j.eval.SeedComparison;
import io.transfer4j.train.EpochLog;
import io.transfer4j.train.FitResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run report: charts drawn, a negative transfer flagged, and the page rendered by a real browser. */
class HtmlReportTest {
    @TempDir Path dir;

    private static ModelResult model(String name, int[] truth, int[] pred, double startLoss) {
        List<EpochLog> h = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            h.add(new EpochLog(e, startLoss / e, startLoss / e + 0.1, 0.5 + 0.08 * e));
        }
        return new ModelResult(name, Metrics.compute(truth, pred, new LabelMap(List.of("negative", "positive"))),
                new FitResult(0, 5, 5, h.get(4).validationLoss(), h.get(4).validationAccuracy(), h, 1234, 0), 1234);
    }

    private static TransferRun<ProbeClassifier, RunConfig> run() {
        int[] truth = {0, 0, 0, 1, 1, 1, 0, 1};
        int[] transfer = {0, 0, 1, 1, 1, 1, 0, 1};
        int[] scratch = {0, 1, 1, 1, 0, 1, 0, 1};
        LabelMap labels = new LabelMap(List.of("negative", "positive"));
        List<String> groups = List.of("a", "a", "a", "a", "b", "b", "b", "b");
        BiasAudit bias = BiasAudit.of(GroupAudit.of("scratch:hashed-ngrams+linear", truth, scratch, groups, labels),
                List.of(GroupAudit.of("transfer:minilm+full", truth, transfer, groups, labels)));
        return new TransferRun<>("text", RunConfig.defaults(), "abc123", 100, 20, 8, labels.names(),
                model("transfer:minilm+full", truth, transfer, 0.7),
                model("scratch:hashed-ngrams+linear", truth, scratch, 0.9),
                new TransferRun.EmbeddingStats("minilm", "sha", 8, 0, 0, 10, 10, 128),
                new TransferRun.Tuning("full", 22_000_000, 22_000_000, 60_000, 0, "texts cut to 128 tokens", 5e-5f, null), bias.warnings(), bias,
                9999, null, null, null, null);
    }

    private static final SeedComparison NEGATIVE = SeedComparison.of(List.of(1L, 2L, 3L), List.of(0.60, 0.61, 0.62),
            List.of(0.70, 0.71, 0.715));

    @Test
    void chartsAreRealImagesAndNegativeTransferIsFlagged() throws Exception {
        HtmlReport.write(dir, run(), NEGATIVE, "strategy: full\n".getBytes(StandardCharsets.UTF_8));
        BufferedImage loss = ImageIO.read(dir.resolve(HtmlReport.LOSS_PNG).toFile());
        assertEquals(720, loss.getWidth());
        assertTrue(colours(loss) > 5, "a chart with lines, not a blank image");
        String html = Files.readString(dir.resolve(HtmlReport.FILE));
        assertTrue(html.contains("NEGATIVE TRANSFER"), "the verdict is in the report");
        assertTrue(html.contains("data:image/png;base64,"), "charts are inlined: the page stands alone");
        assertTrue(html.contains("strategy: full") && html.contains("22,000,000"));
        // group a: transfer 3/4 right, scratch 2/4; group b: transfer 4/4, scratch 3/4
        assertTrue(html.contains("Bias audit") && html.contains("<td>transfer:minilm+full</td><td>b</td><td>4</td><td>100.0%</td>"), html);
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    /** Needs Chromium (scripts/test.sh installs it): the charts decode and show in a browser. */
    @Test
    void headlessChromiumRendersTheCharts() throws Exception {
        String browser = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assertTrue(browser != null, "no Chromium on this machine: run the tests with scripts/test.sh, which installs chromium");
        HtmlReport.write(dir, run(), NEGATIVE, null);
        String url = dir.resolve(HtmlReport.FILE).toUri().toString();
        String dom = browse(browser, "--dump-dom", url);
        assertTrue(dom.contains("data-charts-rendered=\"2/2\""), "both charts decoded with a size: "
                + dom.substring(0, Math.min(300, dom.length())));
        Path shot = dir.resolve("shot.png");
        browse(browser, "--screenshot=" + shot, "--window-size=1000,1600", url);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(shot)));
        assertTrue(colours(img) > 20, "the screenshot shows the page");
    }

    private String browse(String browser, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "browser did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }
}
