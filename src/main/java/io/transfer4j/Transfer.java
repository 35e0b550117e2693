package io.transfer4j;

import io.transfer4j.audio.AudioModality;
import io.transfer4j.backbone.AudioBackbone;
import io.transfer4j.data.AudioDataset;
import io.transfer4j.model.AudioModel;
import io.transfer4j.run.AudioRunConfig;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.TextDataset;
import io.transfer4j.model.ImageModel;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.run.RunConfig;
import io.transfer4j.text.TextModality;
import io.transfer4j.vision.ImageModality;

/**
 * Entry point of the library: one {@link Pipeline} per modality, with the same methods and the
 * same {@link io.transfer4j.run.TransferRun} out.
 *
 * <pre>{@code
 * TextDataset data = TextDatasetReader.labelled("text", "label").read(Path.of("reviews.csv"));
 * try (var run = Transfer.text().backbone("bge-small-q").seed(7).run(data)) {
 *     System.out.println(run.transfer().test().accuracy() + " vs scratch " + run.scratch().test().accuracy());
 *     Bundle.save(run, Path.of("model"));
 * }
 *
 * ImageRunConfig config = ImageRunConfig.builder().backbone("pretrained-bundle").strategy(Strategy.parse("partial")).build();
 * ImageInputs in = ImageInputs.read(config, Path.of("photos"), null, ImageDatasetReader.defaults());
 * try (var run = Transfer.image(in.backbone(), config).run(in.data())) { ... }
 * }</pre>
 */
public final class Transfer {
    private Transfer() {}

    /** Text classification on a pre-trained sentence encoder (frozen features and a head, or fine-tuned). */
    public static Pipeline<TextDataset, ProbeClassifier, RunConfig> text() {
        return text(RunConfig.defaults());
    }

    public static Pipeline<TextDataset, ProbeClassifier, RunConfig> text(RunConfig config) {
        return new Pipeline<>(new TextModality(null), config);
    }

    /** Image classification on {@code backbone} (resolved from {@code config.backbone()} by {@code ImageInputs.read}). */
    public static Pipeline<ImageDataset, ImageModel, ImageRunConfig> image(ImageBackbone backbone, ImageRunConfig config) {
        return new Pipeline<>(new ImageModality(backbone), config);
    }

    /** Audio transfer from {@code backbone} ({@link io.transfer4j.audio.AudioInputs#read} resolves it and the clip length). */
    public static Pipeline<AudioDataset, AudioModel, AudioRunConfig> audio(AudioBackbone backbone, AudioRunConfig config) {
        return new Pipeline<>(new AudioModality(backbone), config);
    }
}
