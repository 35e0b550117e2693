package io.transfer4j.audio;

import io.transfer4j.backbone.Architectures;
import io.transfer4j.backbone.AudioBackbone;
import io.transfer4j.backbone.AudioBackbones;
import io.transfer4j.backbone.BackboneRef;
import io.transfer4j.bundle.AudioBundle;
import io.transfer4j.data.AudioDataset;
import io.transfer4j.data.AudioDatasetReader;
import io.transfer4j.data.ClipLength;
import io.transfer4j.run.AudioRunConfig;
import io.transfer4j.util.UserException;
import java.nio.file.Path;

/**
 * Audio read at the rate its backbone needs, with that backbone resolved from the config's
 * reference ({@code speech-embedding}, a built-in architecture, a bundle folder or an .onnx
 * encoder), and the clip length resolved: a bundle's own, the one given, or one chosen from the
 * clips' durations ({@link ClipLength#choose}). The returned config records it.
 *
 * @param test held-out clips, or null to hold out part of {@code data}
 */
public record AudioInputs(AudioDataset data, AudioDataset test, AudioBackbone backbone, AudioRunConfig config) {

    public static AudioInputs read(AudioRunConfig config, Path data, Path test, AudioDatasetReader reader) {
        AudioBackbone bb = backbone(config);
        AudioDataset all = reader.read(data, bb.sampleRate());
        AudioDataset t = test == null ? null : reader.read(test, bb.sampleRate());
        double seconds = config.clipSeconds();
        if (seconds <= 0) {
            int samples = ClipLength.choose(all.seconds(), bb.sampleRate(), bb.minSamples(), AudioRunConfig.MAX_SECONDS);
            seconds = samples / (double) bb.sampleRate();
        }
        return new AudioInputs(all, t, bb, config.toBuilder().clipSeconds(seconds).build());
    }

    /** The backbone the config names, fetched or built. */
    public static AudioBackbone backbone(AudioRunConfig config) {
        BackboneRef ref = BackboneRef.parse(config.backbone());
        if (ref instanceof BackboneRef.Bundle b) {
            return AudioBundle.backbone(b.dir());
        }
        if (ref instanceof BackboneRef.OnnxModel m) {
            return AudioBackbones.imported(m.file(), config.sampleRateOrDefault());
        }
        if (ref instanceof BackboneRef.BuiltIn b) {
            return AudioBackbones.builtIn(b.text(), config.seed());
        }
        if (AudioBackbones.isKnown(ref.text())) {
            return AudioBackbones.speechEmbedding();
        }
        throw new UserException("unknown audio backbone '" + ref.text() + "'; give " + AudioBackbones.SPEECH_EMBEDDING
                + ", a built-in architecture (" + String.join(", ", Architectures.NAMES) + ", trained from scratch on log-mel windows), "
                + "a bundle directory or an .onnx encoder (catalogue ids are text encoders)");
    }
}
