package io.transfer4j.cli;

import io.transfer4j.audio.AudioInputs;
import io.transfer4j.backbone.AudioBackbones;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.run.AudioRunConfig;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Progress;
import java.nio.file.Path;

/** The audio side of the commands: options to a config, and clips read for their backbone. */
final class AudioRunner {
    private AudioRunner() {}

    /** The text default backbone means "not given": audio then transfers from the speech embedding. */
    static String backboneOrDefault(String backbone) {
        return backbone.equals(BackboneCatalogue.DEFAULT_ID) ? AudioBackbones.SPEECH_EMBEDDING : backbone;
    }

    static AudioRunConfig config(String backbone, Strategy strategy, TrainOptions t, ImageOptions img, AudioOptions audio) {
        TrainConfig.Selection selection = t.selectBy != null ? TrainConfig.Selection.parse(t.selectBy) : TrainConfig.Selection.ACCURACY;
        return AudioRunConfig.builder().backbone(backboneOrDefault(backbone)).seed(t.seed).strategy(strategy)
                .clipSeconds(audio.clipSeconds).sampleRate(audio.sampleRate).noise(audio.noise).augmentation(audio.augmentation(img.augment))
                .scratchArch(img.scratchArch).epochs(t.epochs != null ? t.epochs : 0).batchSize(t.batch != null ? t.batch : 32)
                .learningRate(t.lr != null ? t.lr : 0).optimization(t.optimization()).patience(t.patience != null ? t.patience : 0)
                .selectBy(selection).build();
    }

    static AudioInputs read(AudioRunConfig config, AudioOptions audio, Path data, Path test, String groupColumn, Progress progress) {
        return AudioInputs.read(config, data, test, audio.reader(groupColumn, progress));
    }
}
