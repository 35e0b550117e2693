package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.run.ImageRunConfig;
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
        description = "Train a built-in network from scratch on a labelled source image dataset and save it as a bundle "
                + "that later runs transfer from: `train --backbone DIR`.")
public final class PretrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin TrainOptions train;
    @Mixin ImageOptions images;
    @Mixin AudioOptions audio;

    @Option(names = {"-d", "--data"}, required = true,
            description = "Labelled source images (a folder per class, a CSV with a path column, or an IDX images file) or "
                    + "clips (a folder per class of WAV/FLAC files, or a CSV with a path column).")
    Path dataPath;

    @Option(names = "--test-data", description = "Held-out source images to report on; without it 20%% of --data is held out.")
    Path testPath;

    @Option(names = {"-o", "--out"}, required = true, description = "Directory to write the pre-trained bundle to (replaced atomically).")
    Path out;

    @Option(names = "--arch", defaultValue = "smallcnn", description = "smallcnn, resnet18, resnet34 or mobilenetv2 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Override
    public Integer call() {
        if (!Architectures.isBuiltIn(arch)) {
            throw new UserException("unknown architecture '" + arch + "'; choose one of " + String.join(", ", Architectures.NAMES));
        }
        if (io.transfer4j.data.AudioDatasetReader.isAudioData(dataPath, audio.audioColumn)) {
            // a fresh network over the log-mel windows, trained in full: a bundle later runs transfer from
            var config = AudioRunner.config(arch, Strategy.of(Strategy.Kind.FULL), train, images, audio).toBuilder().scratch(false).build();
            var in = AudioRunner.read(config, audio, dataPath, testPath, null, common.progress());
            TrainCommand.trainAndSave(Transfer.audio(in.backbone(), in.config()).seeds(1).progress(common.progress()), in.data(), in.test(),
                    out, RunFile.write(spec));
            return 0;
        }
        if (!io.transfer4j.data.ImageDatasetReader.isImageData(dataPath, images.imageColumn)) {
            throw new UserException(dataPath + " holds no images or clips; pretrain reads a folder per class, a CSV with a "
                    + images.imageColumn + " column, or an IDX images file");
        }
        ImageRunConfig config = ImageRunner.config(arch, Strategy.of(Strategy.Kind.FULL), train, images).toBuilder()
                .scratch(false).build();
        var in = ImageRunner.read(config, images, dataPath, testPath, null, common.progress());
        TrainCommand.trainAndSave(Transfer.image(in.backbone(), config).seeds(1).progress(common.progress()), in.data(), in.test(), out,
                RunFile.write(spec));
        return 0;
    }
}
