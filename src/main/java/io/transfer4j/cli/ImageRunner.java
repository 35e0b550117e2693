package io.transfer4j.cli;

import io.transfer4j.run.ImageRun;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.ImageTransfer;
import io.transfer4j.run.ModelResult;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.report.Table;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Progress;
import java.nio.file.Path;
import java.util.Locale;

/** The image side of `train` and `pretrain`: options to a config, the run, the bundle, the printed table. */
final class ImageRunner {
    private ImageRunner() {}

    static ImageRunConfig config(String backbone, Strategy strategy, TrainOptions t, ImageOptions img) {
        // Unset controls take the image defaults (ImageRunConfig.training); images select by accuracy, since a
        // few validation images give a loss that can prefer a near-chance early epoch.
        TrainConfig.Selection selection = t.selectBy != null ? TrainConfig.Selection.parse(t.selectBy) : TrainConfig.Selection.ACCURACY;
        Optimization o = new Optimization(Optimization.Kind.parse(t.optimizer), t.momentum, t.weightDecay,
                Optimization.Schedule.parse(t.schedule), t.warmup, t.clip, t.accumulate, t.labelSmoothing, t.l2sp, t.layerDecay);
        return ImageRunConfig.defaults().withBackbone(backbone).withStrategy(strategy).withSeed(t.seed)
                .withEpochs(t.epochs != null ? t.epochs : 0)
                .withTraining(t.batch != null ? t.batch : 64, t.lr != null ? t.lr : 0, o, t.patience != null ? t.patience : 0, selection)
                .withInput(img.channels, img.imageSize, img.featureLayer, ImageOptions.orNull(img.mean), ImageOptions.orNull(img.std))
                .withAugmentation(img.augmentation()).withScratchArch(img.scratchArch);
    }

    static ImageRun run(ImageRunConfig config, ImageOptions img, Path data, Path test, Progress progress) {
        ImageTransfer t = new ImageTransfer(config, progress);
        ImageTransfer.Inputs in = t.read(data, test, img.reader(progress));
        return t.run(new ImageTransfer.Inputs(img.keep(in.data()), img.keep(in.test()), in.backbone()));
    }

    static void saveAndPrint(ImageRun run, Path out, byte[] configYaml) {
        ImageBundle.save(run, out, configYaml);
        System.out.print(table(run));
        System.out.println("model bundle: " + out + "  (summary: " + out.resolve(io.transfer4j.bundle.Bundle.SUMMARY) + ")");
    }

    static String table(ImageRun run) {
        Table t = new Table("model", "accuracy", "95% CI", "macro-F1", "epochs", "train s");
        row(t, run.transfer());
        if (run.scratch() != null) {
            row(t, run.scratch());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "images %s, %d classes; %d train / %d validation / %d test; backbone %s; "
                + "augmentation %s; seed %d%n", run.imageShape(), run.labels().size(), run.trainSize(), run.validationSize(),
                run.testSize(), run.backbone(), run.config().augmentation(), run.config().seed()));
        sb.append(String.format(Locale.ROOT, "trained parameters: %,d of %,d%n", run.trainableParameters(), run.totalParameters()));
        sb.append(t);
        if (run.scratch() != null) {
            sb.append(String.format(Locale.ROOT, "%s%n", run.paired().describe()));
        }
        return sb.toString();
    }

    private static void row(Table t, ModelResult r) {
        t.row(r.name(), pct(r.test().accuracy()), pct(r.test().accuracyLow95()) + "-" + pct(r.test().accuracyHigh95()),
                String.format(Locale.ROOT, "%.3f", r.test().macroF1()),
                r.training() == null ? "-" : r.training().epochs() + " (best " + r.training().bestEpoch() + ")",
                String.format(Locale.ROOT, "%.1f", r.trainMillis() / 1000.0));
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
