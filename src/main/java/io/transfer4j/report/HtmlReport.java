package io.transfer4j.report;

import io.transfer4j.run.ModelResult;
import io.transfer4j.run.TransferRun;
import io.transfer4j.eval.BiasAudit;
import io.transfer4j.eval.ClassMetrics;
import io.transfer4j.eval.GroupAudit;
import io.transfer4j.eval.Metrics;
import io.transfer4j.eval.SeedComparison;
import io.transfer4j.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * One self-contained HTML page per run (charts inlined as PNG data, and written beside it):
 * transfer against scratch, the negative-transfer verdict, learning curves, confusion matrices,
 * per-class metrics, the data, the timings and the full configuration.
 */
public final class HtmlReport {
    public static final String FILE = "report.html";
    public static final String LOSS_PNG = "loss.png";
    public static final String ACCURACY_PNG = "accuracy.png";

    private HtmlReport() {}

    /** Writes {@code report.html}, {@code loss.png} and {@code accuracy.png} into {@code dir}. */
    public static void write(Path dir, TransferRun<?, ?> run, SeedComparison guard, byte[] configYaml) throws IOException {
        byte[] loss = Charts.loss(run.transfer(), run.scratch());
        byte[] acc = Charts.accuracy(run.transfer(), run.scratch());
        Files.write(dir.resolve(LOSS_PNG), loss);
        Files.write(dir.resolve(ACCURACY_PNG), acc);
        Files.writeString(dir.resolve(FILE), html(run, guard, configYaml, loss, acc), StandardCharsets.UTF_8);
    }

    static String html(TransferRun<?, ?> run, SeedComparison guard, byte[] configYaml, byte[] lossPng, byte[] accPng) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>transfer4j run: ")
                .append(esc(run.transfer().name())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}")
                .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
                .append(".neg{background:#fdd;border:2px solid #c00;padding:.6em;font-weight:bold}.pos{background:#dfd;padding:.6em}")
                .append("pre{background:#f6f6f6;padding:.8em;overflow:auto}img{max-width:100%}</style></head><body>");
        h.append("<h1>transfer4j run</h1>");
        String rows = run.features() != null ? run.features().rows() : "rows";
        h.append(String.format(Locale.ROOT, "<p>%d train / %d validation / %d test %s, %d classes, seed %d; training data SHA-256 <code>%s</code></p>",
                run.trainSize(), run.validationSize(), run.testSize(), rows, run.classes(), run.config().seed(), esc(run.trainDataSha256())));
        if (run.features() != null) {
            run.features().describe(run).forEach(l -> h.append("<p>").append(esc(l)).append("</p>"));
        }
        if (run.choice() != null) {
            h.append("<p>").append(esc(run.choice().describe())).append("</p>");
        }
        run.warnings().forEach(w -> h.append("<p class=\"neg\">").append(esc(w)).append("</p>"));
        h.append("<h2>Transfer against scratch (held-out test split)</h2><table><tr><th>model</th><th>accuracy</th><th>95% CI</th><th>macro-F1</th><th>train time</th></tr>");
        row(h, run.transfer());
        if (run.scratch() != null) {
            row(h, run.scratch());
        }
        h.append("</table>");
        if (guard != null) {
            boolean negative = guard.verdict() == SeedComparison.Verdict.NEGATIVE_TRANSFER;
            h.append(String.format(Locale.ROOT, "<p class=\"%s\">%s over %d seeds %s: gain %+.1f points, 95%% CI %+.1f to %+.1f%s</p>",
                    negative ? "neg" : "pos", negative ? "NEGATIVE TRANSFER" : guard.verdict().name().replace('_', ' ').toLowerCase(Locale.ROOT),
                    guard.seeds().size(), guard.seeds(), 100 * guard.meanGain(), 100 * guard.gainLow95(), 100 * guard.gainHigh95(),
                    negative ? ". The pre-trained model does worse than training from scratch here: try another backbone "
                            + "(<code>rank</code>), an inner layer (<code>rank --layers</code>), or the scratch model." : ""));
        } else if (run.paired() != null) {
            boolean negative = run.paired().verdict() == SeedComparison.Verdict.NEGATIVE_TRANSFER;
            h.append("<p class=\"").append(negative ? "neg" : "pos").append("\">").append(esc(run.paired().describe())).append("</p>");
        }
        if (run.bias() != null) {
            bias(h, run.bias());
        }
        if (run.tuning() != null) {
            TransferRun.Tuning t = run.tuning();
            h.append(String.format(Locale.ROOT, "<p>Fine-tuned with <b>%s</b>: %,d of %,d parameters trained (%.2f%%), %.1f s per epoch%s.</p>",
                    esc(t.strategy()), t.trainableParameters(), t.totalParameters(),
                    100.0 * t.trainableParameters() / Math.max(1, t.totalParameters()), t.millisPerEpoch() / 1000.0,
                    t.input().isEmpty() ? "" : ", " + esc(t.input())));
        }
        h.append("<h2>Learning curves</h2>");
        h.append("<img class=\"chart\" alt=\"loss per epoch\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(lossPng)).append("\">");
        h.append("<img class=\"chart\" alt=\"validation accuracy per epoch\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(accPng)).append("\">");
        confusion(h, run.transfer());
        misclassified(h, run.transfer());
        if (run.scratch() != null) {
            confusion(h, run.scratch());
            misclassified(h, run.scratch());
        }
        h.append("<h2>Timings</h2><table><tr><th>step</th><th>seconds</th></tr>");
        if (run.features() != null) {
            h.append(String.format(Locale.ROOT, "<tr><td>backbone %s: features</td><td>%.1f</td></tr>",
                    esc(run.features().backbone()), run.features().extractMillis() / 1000.0));
        }
        h.append(String.format(Locale.ROOT, "<tr><td>%s training</td><td>%.1f</td></tr>", esc(run.transfer().name()), run.transfer().trainMillis() / 1000.0));
        if (run.scratch() != null) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s training</td><td>%.1f</td></tr>", esc(run.scratch().name()), run.scratch().trainMillis() / 1000.0));
        }
        h.append(String.format(Locale.ROOT, "<tr><td>whole run</td><td>%.1f</td></tr></table>", run.totalMillis() / 1000.0));
        h.append("<h2>Configuration</h2>");
        if (configYaml != null) {
            h.append("<pre>").append(esc(new String(configYaml, StandardCharsets.UTF_8))).append("</pre>");
        }
        h.append("<pre>").append(esc(new String(Json.bytes(run.config()), StandardCharsets.UTF_8))).append("</pre>");
        // lets a headless browser (and a test) confirm every chart decoded and has a size
        h.append("<script>window.addEventListener('load',()=>{const i=[...document.querySelectorAll('img.chart')];"
                + "document.body.setAttribute('data-charts-rendered',i.filter(x=>x.complete&&x.naturalWidth>0).length+'/'+i.length);});</script>");
        return h.append("</body></html>").toString();
    }

    private static void bias(StringBuilder h, BiasAudit b) {
        h.append("<h2>Bias audit: quality per group (held-out test split)</h2>");
        h.append("<table><tr><th>model</th><th>group</th><th>rows</th><th>accuracy</th><th>true-positive rate</th>"
                + "<th>false-positive rate</th></tr>");
        for (GroupAudit a : b.models()) {
            for (GroupAudit.Group g : a.groups()) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>",
                        esc(a.model()), esc(g.name()), g.size(), pct(g.accuracy()), pct(g.truePositiveRate()), pct(g.falsePositiveRate())));
            }
            h.append(String.format(Locale.ROOT, "<tr><th>%s</th><th>largest gap</th><th></th><th>%s</th><th>%s</th><th>%s</th></tr>",
                    esc(a.model()), pct(a.accuracy().value()), pct(a.truePositiveRate().value()), pct(a.falsePositiveRate().value())));
        }
        h.append("</table>");
        GroupAudit first = b.models().get(0);
        h.append("<p>Rates are those of class <b>").append(esc(first.positiveClass())).append("</b>. ");
        h.append(b.warnings().isEmpty() ? "No transferred model widens a gap by more than "
                + Math.round(100 * BiasAudit.WIDENING) + " points over the scratch baseline.</p>"
                : b.warnings().size() + " widened gap(s): see the BIAS warnings at the top.</p>");
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static void row(StringBuilder h, ModelResult r) {
        Metrics m = r.test();
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f%%</td><td>%.1f%%&ndash;%.1f%%</td><td>%.1f%%</td><td>%.1f s</td></tr>",
                esc(r.name()), 100 * m.accuracy(), 100 * m.accuracyLow95(), 100 * m.accuracyHigh95(), 100 * m.macroF1(), r.trainMillis() / 1000.0));
    }

    /** The held-out rows a model got wrong (the first ones kept in the run), by file or text: what to look at or listen to first. */
    private static void misclassified(StringBuilder h, ModelResult r) {
        if (r.misclassified().isEmpty()) {
            return;
        }
        int wrong = r.test().n() - (int) Math.round(r.test().accuracy() * r.test().n());
        h.append("<h3>").append(esc(r.name())).append(String.format(Locale.ROOT, ": misclassified test rows (%d of %d%s)</h3>",
                wrong, r.test().n(), wrong > r.misclassified().size() ? ", the first " + r.misclassified().size() : ""));
        h.append("<table><tr><th>row</th><th>label</th><th>predicted</th></tr>");
        for (ModelResult.Misclassified m : r.misclassified()) {
            h.append("<tr><td>").append(esc(m.row())).append("</td><td>").append(esc(m.label())).append("</td><td>")
                    .append(esc(m.predicted())).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void confusion(StringBuilder h, ModelResult r) {
        Metrics m = r.test();
        h.append("<h2>").append(esc(r.name())).append("</h2><table><tr><th>true \\ predicted</th>");
        m.labels().forEach(l -> h.append("<th>").append(esc(l)).append("</th>"));
        h.append("</tr>");
        for (int i = 0; i < m.labels().size(); i++) {
            h.append("<tr><td>").append(esc(m.labels().get(i))).append("</td>");
            for (int j = 0; j < m.labels().size(); j++) {
                h.append("<td>").append(m.confusion()[i][j]).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>");
        for (ClassMetrics c : m.perClass()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f%%</td><td>%.1f%%</td><td>%.1f%%</td><td>%d</td></tr>",
                    esc(c.label()), 100 * c.precision(), 100 * c.recall(), 100 * c.f1(), c.support()));
        }
        h.append("</table>");
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
