package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.data.AudioDatasetReader;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.data.Labelled;
import io.transfer4j.data.TextDataset;
import io.transfer4j.fewshot.FewShot;
import io.transfer4j.fewshot.FewShotConfig;
import io.transfer4j.model.Classifier;
import io.transfer4j.run.AudioRunConfig;
import io.transfer4j.run.RunConfig;
import io.transfer4j.run.RunSettings;
import io.transfer4j.util.Progress;
import java.nio.file.Path;
import java.util.List;

/**
 * The few-shot commands' one way to any modality: the data's kind picks texts, images or audio,
 * the backbone is resolved for it, the rows are read, and one generic job runs on the result.
 */
final class FewShotRunner {
    private FewShotRunner() {}

    /** What a command does once the modality is known. */
    interface Job {
        <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> int run(FewShot<D, M, C> fewShot, D data, D test,
                D unlabelled);
    }

    /** The backbone and input options the few-shot commands share. */
    record Inputs(String backbone, long seed, int maxLength, boolean cache, DataOptions text, ImageOptions images, AudioOptions audio) {}

    static int run(Inputs in, FewShotConfig config, Path data, Path test, Path unlabelled, Progress progress, Job job) {
        if (AudioDatasetReader.isAudioData(data, in.audio().audioColumn)) {
            AudioRunConfig c = AudioRunConfig.builder().backbone(AudioRunner.backboneOrDefault(in.backbone())).seed(in.seed())
                    .clipSeconds(in.audio().clipSeconds).sampleRate(in.audio().sampleRate).build();
            var read = AudioRunner.read(c, in.audio(), data, test, null, progress);
            var u = unlabelled == null ? null
                    : in.audio().reader(null, progress).unlabelled(List.of(unlabelled), read.backbone().sampleRate());
            var fs = FewShot.of(Transfer.audio(read.backbone(), read.config()).progress(progress)).config(config);
            return job.run(fs, read.data(), read.test(), u);
        }
        if (ImageDatasetReader.isImageData(data, in.images().imageColumn)) {
            if (in.backbone().equals(io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID)) {
                throw new io.transfer4j.util.UserException("images need an image backbone: --backbone DIR (a pretrain or train bundle), "
                        + "an .onnx model, or a built-in architecture (its random features are a weak baseline)");
            }
            var c = ImageRunner.inputConfig(in.backbone(), in.seed(), in.images());
            var read = ImageRunner.read(c, in.images(), data, test, null, progress);
            var u = unlabelled == null ? null : in.images().reader(progress).unlabelled(List.of(unlabelled), read.backbone().shape());
            var fs = FewShot.of(Transfer.image(read.backbone(), c).progress(progress)).config(config);
            return job.run(fs, read.data(), read.test(), u);
        }
        RunConfig c = RunConfig.builder().backbone(in.backbone()).maxLength(in.maxLength()).seed(in.seed()).cache(in.cache()).build();
        TextDataset d = in.text().labelled(data);
        TextDataset t = test == null ? null : in.text().labelled(test);
        TextDataset u = unlabelled == null ? null : in.text().unlabelled(unlabelled);
        return job.run(FewShot.of(Transfer.text(c).progress(progress)).config(config), d, t, u);
    }
}
