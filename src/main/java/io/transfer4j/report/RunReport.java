package io.transfer4j.report;

import io.transfer4j.run.ModelResult;
import io.transfer4j.run.TransferRun;
import io.transfer4j.eval.Metrics;
import java.util.List;
import java.util.Locale;

/** The text a run prints: transfer against scratch on the held-out split. */
public final class RunReport {
    private RunReport() {}

    /** What a run prints, for any modality: the data, the backbone, what fine-tuning trained, both models, the gain. */
    public static String table(TransferRun<?, ?> run) {
        Table t = new Table("model", "accuracy", "95% CI", "macro-F1", "train time");
        add(t, run.transfer());
        if (run.scratch() != null) {
            add(t, run.scratch());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "data: %d train / %d validation / %d test, %d classes, seed %d%n",
                run.trainSize(), run.validationSize(), run.testSize(), run.classes(), run.config().seed()));
        if (run.features() != null) {
            run.features().describe(run).forEach(l -> sb.append(l).append('\n'));
        }
        TransferRun.Tuning tu = run.tuning();
        if (tu != null) {
            sb.append(String.format(Locale.ROOT, "fine-tuned (%s): %,d of %,d parameters trained (%.2f%%)%s, %d epochs at %.1f s/epoch, "
                    + "learning rate %.2g%s%n", tu.strategy(), tu.trainableParameters(), tu.totalParameters(),
                    100.0 * tu.trainableParameters() / Math.max(1, tu.totalParameters()),
                    tu.adaptedWeights() > 0 ? ", LoRA on " + tu.adaptedWeights() + " weight matrices" : "",
                    run.transfer().training().epochs(), tu.millisPerEpoch() / 1000.0, tu.learningRate(),
                    tu.input().isEmpty() ? "" : ", " + tu.input()));
            Table h = new Table("epoch", "train loss", "validation loss", "validation accuracy");
            run.transfer().training().history().forEach(x -> h.row(x.epoch(), String.format(Locale.ROOT, "%.4f", x.trainLoss()),
                    String.format(Locale.ROOT, "%.4f", x.validationLoss()), pct(x.validationAccuracy())));
            sb.append(h);
            if (run.transfer().training().skippedUpdates() > 0) {
                sb.append(String.format(Locale.ROOT, "%d updates skipped because their loss or gradient was not finite%n",
                        run.transfer().training().skippedUpdates()));
            }
        }
        if (run.choice() != null) {
            sb.append(run.choice().describe()).append('\n');
        }
        run.warnings().forEach(w -> sb.append("WARNING: ").append(w).append('\n'));
        sb.append('\n').append(t);
        if (run.scratch() != null) {
            sb.append(String.format(Locale.ROOT, "%ntransfer - scratch: %+.1f accuracy points; total %.1f s%n",
                    100 * run.accuracyGain(), run.totalMillis() / 1000.0));
        }
        if (run.bias() != null) {
            sb.append('\n').append(bias(run.bias()));
        }
        return sb.toString();
    }

    /** The bias audit as a table: each model's per-group rates and largest gaps. */
    public static String bias(io.transfer4j.eval.BiasAudit b) {
        Table t = new Table("model", "group", "rows", "accuracy", "TPR", "FPR");
        for (io.transfer4j.eval.GroupAudit a : b.models()) {
            a.groups().forEach(g -> t.row(a.model(), g.name(), g.size(), rate(g.accuracy()), rate(g.truePositiveRate()),
                    rate(g.falsePositiveRate())));
            t.row(a.model(), "largest gap", "", rate(a.accuracy().value()), rate(a.truePositiveRate().value()),
                    rate(a.falsePositiveRate().value()));
        }
        return String.format(Locale.ROOT, "bias audit (test split; TPR/FPR of class %s):%n", b.models().get(0).positiveClass()) + t
                + (b.warnings().isEmpty() && b.models().size() > 1 ? String.format(Locale.ROOT, "no transferred model widens a gap by more than %.0f points "
                        + "over the scratch baseline%n", 100 * io.transfer4j.eval.BiasAudit.WIDENING) : "");
    }

    private static String rate(double v) {
        return Double.isNaN(v) ? "-" : pct(v);
    }

    /** What the run's transfer-vs-scratch verdict rests on: the seeds' interval when repeated, else the paired test of its split. */
    public static String verdict(TransferRun<?, ?> run) {
        if (run.guard() != null) {
            return guard(run.guard());
        }
        return run.paired() == null ? "" : String.format(Locale.ROOT, "%n%s%n", run.paired().describe());
    }

    /** The seeds comparison, with a loud flag when transfer made things worse. */
    public static String guard(io.transfer4j.eval.SeedComparison c) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%ntransfer vs scratch over %d seeds %s: gain %+.1f points, 95%% CI %+.1f to %+.1f -> %s%n",
                c.seeds().size(), c.seeds(), 100 * c.meanGain(), 100 * c.gainLow95(), 100 * c.gainHigh95(), c.verdict()));
        if (c.verdict() == io.transfer4j.eval.SeedComparison.Verdict.NEGATIVE_TRANSFER) {
            sb.append("NEGATIVE TRANSFER: this backbone's features do worse than a model trained from scratch on these labels; "
                    + "try another backbone (./transfer4j rank), an inner layer (rank --layers), or the scratch model.\n");
        }
        return sb.toString();
    }

    private static void add(Table t, ModelResult r) {
        Metrics m = r.test();
        t.row(r.name(), pct(m.accuracy()), pct(m.accuracyLow95()) + "-" + pct(m.accuracyHigh95()), pct(m.macroF1()),
                String.format(Locale.ROOT, "%.1f s", r.trainMillis() / 1000.0));
    }

    public static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** Up to {@code limit} misclassified rows by their file: what a user listens to or looks at first. */
    public static String misclassified(List<String> sources, int[] truth, int[] pred, io.transfer4j.data.LabelMap labels, int limit) {
        Table t = new Table("file", "label", "predicted");
        int wrong = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] != pred[i]) {
                if (wrong < limit) {
                    t.row(sources.get(i), labels.name(truth[i]), labels.name(pred[i]));
                }
                wrong++;
            }
        }
        if (wrong == 0 || limit <= 0) {
            return wrong == 0 ? "no file misclassified\n\n" : "";
        }
        return String.format(Locale.ROOT, "misclassified: %d of %d%s%n", wrong, truth.length, wrong > limit ? " (first " + limit + ")" : "")
                + t + "\n";
    }

    public static String metrics(Metrics m) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "n=%d  accuracy %s (95%% CI %s-%s)  macro-F1 %s%n%n", m.n(), pct(m.accuracy()),
                pct(m.accuracyLow95()), pct(m.accuracyHigh95()), pct(m.macroF1())));
        Table t = new Table("class", "precision", "recall", "F1", "support");
        m.perClass().forEach(c -> t.row(c.label(), pct(c.precision()), pct(c.recall()), pct(c.f1()), c.support()));
        sb.append(t).append('\n');
        String[] head = new String[m.labels().size() + 1];
        head[0] = "true \\ predicted";
        for (int i = 0; i < m.labels().size(); i++) {
            head[i + 1] = m.labels().get(i);
        }
        Table cm = new Table(head);
        for (int i = 0; i < m.labels().size(); i++) {
            Object[] row = new Object[head.length];
            row[0] = m.labels().get(i);
            for (int j = 0; j < m.labels().size(); j++) {
                row[j + 1] = m.confusion()[i][j];
            }
            cm.row(row);
        }
        return sb.append(cm).toString();
    }
}
