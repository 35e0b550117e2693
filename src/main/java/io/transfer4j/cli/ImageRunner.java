package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Progress;
import io.transfer4j.vision.ImageInputs;
import java.nio.file.Path;
import java.util.List;

/** The image side of the commands: options to a config, images read for their backbone, image backbones ranked. */
final class ImageRunner {
    private ImageRunner() {}

    static ImageRunConfig config(String backbone, Strategy strategy, TrainOptions t, ImageOptions img) {
        // Unset controls take the image defaults (ImageRunConfig.training); images select by accuracy, since a
        // few validation images give a loss that can prefer a near-chance early epoch.
        TrainConfig.Selection selection = t.selectBy != null ? TrainConfig.Selection.parse(t.selectBy) : TrainConfig.Selection.ACCURACY;
        return inputConfig(backbone, t.seed, img).toBuilder().strategy(strategy).epochs(t.epochs != null ? t.epochs : 0)
                .batchSize(t.batch != null ? t.batch : 64).learningRate(t.lr != null ? t.lr : 0).optimization(t.optimization())
                .patience(t.patience != null ? t.patience : 0).selectBy(selection).build();
    }

    /** For commands that train nothing but read images (rank, advise): the backbone, seed and input options only. */
    static ImageRunConfig inputConfig(String backbone, long seed, ImageOptions img) {
        return ImageRunConfig.builder().backbone(backbone).seed(seed).channels(img.channels).imageSize(img.imageSize)
                .featureLayer(img.featureLayer).normalisation(ImageOptions.orNull(img.mean), ImageOptions.orNull(img.std))
                .augmentation(img.augmentation()).scratchArch(img.scratchArch).build();
    }

    /**
     * Each image backbone scored on the images read at its own input shape, best LogME first:
     * the same scores as for texts ({@link io.transfer4j.select.FeatureScores}).
     */
    static Ranked rank(List<String> backbones, long seed, ImageOptions img, Path data, Path test, Progress progress) {
        return Ranked.of(backbones, seed, b -> {
            ImageRunConfig config = inputConfig(b, seed, img);
            ImageInputs in = read(config, img, data, test, null, progress);
            if (!in.backbone().pretrained()) {
                throw new io.transfer4j.util.UserException("'" + b + "' is a fresh built-in network with nothing learnt to rank; "
                        + "rank pre-trained backbones: a pretrain or train bundle directory, or an .onnx model");
            }
            return new Ranked.Scored(Transfer.image(in.backbone(), config).progress(progress).score(in.data(), in.test()),
                    in.data().size(), in.data().classCounts().size(), in.test() == null ? 0 : in.test().size());
        });
    }

    /** Reads the images for the config's backbone (groups from {@code groupColumn}, may be null) and keeps the chosen classes. */
    static ImageInputs read(ImageRunConfig config, ImageOptions img, Path data, Path test, String groupColumn, Progress progress) {
        return ImageInputs.read(config, data, test, img.reader(groupColumn, progress)).map(img::keep);
    }
}
