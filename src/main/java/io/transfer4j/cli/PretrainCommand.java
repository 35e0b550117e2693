package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.selfsup.ContrastiveConfig;
import io.transfer4j.selfsup.Pretraining;
import io.transfer4j.backbone.Architectures;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Train a built-in network from scratch on a labelled source image dataset, or without labels "
                + "(--self-supervised simclr), and save it as a bundle that later runs transfer from: `train --backbone DIR`.")
public final class PretrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin TrainOptions train;
    @Mixin ImageOptions images;
    @Mixin AudioOptions audio;

    @Option(names = {"-d", "--data"}, required = true,
            description = "With --self-supervised: images without labels (a folder searched recursively, a CSV with a path "
                    + "column, or an IDX images file; labels, if any, are ignored). Otherwise labelled source images (a folder per class, a CSV with a path column, or an IDX images file) or "
                    + "clips (a folder per class of WAV/FLAC files, or a CSV with a path column).")
    Path dataPath;

    @Option(names = "--test-data", description = "Held-out source images to report on; without it 20%% of --data is held out.")
    Path testPath;

    @Option(names = {"-o", "--out"}, required = true, description = "Directory to write the pre-trained bundle to (replaced atomically).")
    Path out;

    @Option(names = "--arch", defaultValue = "smallcnn", description = "smallcnn, resnet18, resnet34 or mobilenetv2 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Mixin CheckpointOptions checkpoints;

    @Option(names = "--self-supervised", description = "simclr: contrastive pre-training (NT-Xent over two augmented views of each "
            + "image, a projection head dropped afterwards) on unlabelled images.")
    String selfSupervised;

    @Option(names = "--temperature", defaultValue = "0.5", description = "simclr: NT-Xent temperature (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--projection-dim", defaultValue = "128", description = "simclr: width of the projection head's output "
            + "(default: ${DEFAULT-VALUE}).")
    int projectionDim;

    @Override
    public Integer call() {
        if (!Architectures.isBuiltIn(arch)) {
            throw new UserException("unknown architecture '" + arch + "'; choose one of " + String.join(", ", Architectures.NAMES));
        }
        if (selfSupervised != null) {
            return selfSupervised();
        }
        if (io.transfer4j.data.AudioDatasetReader.isAudioData(dataPath, audio.audioColumn)) {
            // a fresh network over the log-mel windows, trained in full: a bundle later runs transfer from
            var config = AudioRunner.config(arch, Strategy.of(Strategy.Kind.FULL), train, images, audio).toBuilder().scratch(false).build();
            var in = AudioRunner.read(config, audio, dataPath, testPath, null, common.progress());
            TrainCommand.trainAndSave(Transfer.audio(in.backbone(), in.config()).seeds(1).progress(common.progress())
                    .checkpoints(checkpoints.at(out)), in.data(), in.test(), out, RunFile.write(spec));
            checkpoints.remove(out);
            return 0;
        }
        if (!io.transfer4j.data.ImageDatasetReader.isImageData(dataPath, images.imageColumn)) {
            throw new UserException(dataPath + " holds no images or clips; pretrain reads a folder per class, a CSV with a "
                    + images.imageColumn + " column, or an IDX images file");
        }
        ImageRunConfig config = ImageRunner.config(arch, Strategy.of(Strategy.Kind.FULL), train, images).toBuilder()
                .scratch(false).build();
        var in = ImageRunner.read(config, images, dataPath, testPath, null, common.progress());
        // one job (full, one seed, no scratch run), so one checkpoint serves it
        TrainCommand.trainAndSave(Transfer.image(in.backbone(), config).seeds(1).progress(common.progress())
                .checkpoints(checkpoints.at(out)), in.data(), in.test(), out, RunFile.write(spec));
        checkpoints.remove(out);
        return 0;
    }

    /**
     * SimCLR on the unlabelled images: --epochs (default 20), --batch (default 256), --lr (default
     * 1e-3) and --augment (default: SimCLR's views at small sizes) apply; the other training options
     * do not (the recipe is Adam with warm-up and cosine decay).
     */
    private int selfSupervised() {
        if (!selfSupervised.equalsIgnoreCase("simclr")) {
            throw new UserException("unknown self-supervised method '" + selfSupervised + "'; the one available is simclr");
        }
        ContrastiveConfig.Builder cc = ContrastiveConfig.builder().temperature(temperature).projectionDim(projectionDim);
        if (train.epochs != null) {
            cc.epochs(train.epochs);
        }
        if (train.batch != null) {
            cc.batchSize(train.batch);
        }
        if (train.lr != null) {
            cc.learningRate(train.lr);
        }
        if (!images.augment.equalsIgnoreCase("none")) {
            cc.views(images.augmentation());
        }
        ImageRunConfig config = ImageRunner.inputConfig(arch, train.seed, images);
        var in = io.transfer4j.vision.ImageInputs.readUnlabelled(config, dataPath, images.reader(common.progress()));
        var pre = Pretraining.of(Transfer.image(in.backbone(), config).progress(common.progress()).checkpoints(checkpoints.at(out)))
                .config(cc.build()).log(System.out::println);
        try (var run = pre.run(in.data())) {
            pre.save(run, out, RunFile.write(spec));
        }
        checkpoints.remove(out);
        System.out.println("backbone bundle: " + out + "  (record: " + out.resolve(Pretraining.SUMMARY) + "); transfer from it with "
                + "train --backbone " + out);
        return 0;
    }
}
