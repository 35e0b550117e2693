package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.model.ImageModel;
import io.transfer4j.report.RunReport;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Progress;
import io.transfer4j.vision.ImageInputs;
import java.nio.file.Path;

/** The image side of `train` and `pretrain`: options to a config, images read for the backbone, the run, the bundle. */
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

    /** Reads the images for the config's backbone (groups from {@code groupColumn}, may be null) and keeps the chosen classes. */
    static ImageInputs read(ImageRunConfig config, ImageOptions img, Path data, Path test, String groupColumn, Progress progress) {
        return ImageInputs.read(config, data, test, img.reader(groupColumn, progress)).map(img::keep);
    }

    /** The run through the one pipeline, repeated over {@code seeds} (0: the image default). */
    static TransferRun<ImageModel, ImageRunConfig> run(ImageRunConfig config, ImageInputs in, int seeds, Progress progress) {
        var pipeline = Transfer.image(in.backbone(), config).seeds(seeds).progress(progress);
        return in.test() == null ? pipeline.run(in.data()) : pipeline.run(in.data(), in.test());
    }

    static void saveAndPrint(TransferRun<ImageModel, ImageRunConfig> run, Path out, byte[] configYaml) {
        ImageBundle.save(run, out, configYaml);
        System.out.print(RunReport.table(run));
        System.out.print(RunReport.verdict(run));
        System.out.println("model bundle: " + out + "  (summary: " + out.resolve(io.transfer4j.bundle.Bundle.SUMMARY) + ")");
    }
}
