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

    /** Each audio backbone scored on the clips read at its own rate, best LogME first. */
    static Ranked rank(java.util.List<String> backbones, long seed, AudioOptions audio, Path data, Path test, Progress progress) {
        return Ranked.of(backbones, seed, b -> {
            AudioRunConfig config = AudioRunConfig.builder().backbone(backboneOrDefault(b)).seed(seed).clipSeconds(audio.clipSeconds)
                    .sampleRate(audio.sampleRate).build();
            AudioInputs in = read(config, audio, data, test, null, progress);
            if (!in.backbone().pretrained()) {
                throw new io.transfer4j.util.UserException("'" + b + "' is a fresh built-in network with nothing learnt to rank; "
                        + "rank pre-trained backbones: speech-embedding, a train bundle directory, or an .onnx encoder");
            }
            return new Ranked.Scored(io.transfer4j.Transfer.audio(in.backbone(), in.config()).progress(progress).score(in.data(), in.test()),
                    in.data().size(), in.data().classCounts().size(), in.test() == null ? 0 : in.test().size());
        });
    }
}
