package io.transfer4j.bundle;

import ai.djl.Model;
import io.transfer4j.backbone.AudioBackbone;
import io.transfer4j.data.LabelMap;
import io.transfer4j.model.AudioModel;
import io.transfer4j.run.AudioRunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.Standardizer;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * An audio model on disk: {@code manifest.json} (front end and encoder with their SHA-256, the
 * framing and windowing, the clip length, labels, feature standardisation, config, scores),
 * {@code backbone/frontend.onnx} and {@code backbone/encoder.onnx} (tuned or pre-trained weights),
 * and what every bundle holds ({@link Bundle#writeRun}). Self-contained: it runs without the npm
 * cache. Written to a temp directory and renamed into place; loading reads data only. A bundle is
 * also a backbone: {@code train --backbone DIR} transfers from its encoder.
 */
public final class AudioBundle {
    public static final String TASK = "audio-classification";
    static final String FRONT_END = "backbone/frontend.onnx";
    static final String ENCODER = "backbone/encoder.onnx";

    private AudioBundle() {}

    public record AudioManifest(int format, String transfer4jVersion, String createdAt, String task, Backbone backbone, int clipSamples,
            List<String> labels, float[] featureMean, float[] featureScale, boolean featureUnitLength, String headFile, AudioRunConfig config,
            String trainDataSha256, Manifest.Scores scores) {}

    /** The backbone as {@link AudioBackbone} describes it, with files relative to the bundle (frontEnd null for a waveform encoder). */
    public record Backbone(String id, String frontEnd, String frontEndSha256, float sampleScale, float frameScale, float frameOffset, int bins,
            int frameLength, int frameHop, String encoder, String sha256, String input, long[] windowShape, int windowFrames,
            int windowHop, int sampleRate, int features, String arch, String licence) {}

    public static boolean isAudioBundle(Path dir) {
        return TASK.equals(Bundle.task(dir));
    }

    public static void save(TransferRun<AudioModel, AudioRunConfig> run, Path dir, byte[] configYaml) {
        AudioModel c = run.model();
        AudioBackbone b = c.backbone();
        AudioManifest m = new AudioManifest(Manifest.FORMAT, Bundle.version(), Instant.now().toString(), TASK,
                new Backbone(b.id(), b.frontEnd() == null ? null : FRONT_END, b.frontEndSha256(), b.sampleScale(), b.frameScale(), b.frameOffset(), b.bins(),
                        b.frameLength(), b.frameHop(), ENCODER, b.sha256(), b.input(), b.windowShape(), b.windowFrames(), b.windowHop(),
                        b.sampleRate(), b.features(), b.arch(), b.licence()),
                c.clipSamples(), c.labels().names(), c.standardizer().mean(), c.standardizer().scale(), c.standardizer().unitLength(), Bundle.HEAD, run.config(),
                run.trainDataSha256(), Manifest.Scores.of(run));
        AtomicDirectory.write(dir, tmp -> {
            Files.write(tmp.resolve(Bundle.MANIFEST), Json.bytes(m));
            Files.createDirectories(tmp.resolve(Bundle.BACKBONE_DIR));
            if (b.frontEnd() != null) {
                Files.copy(b.frontEnd(), tmp.resolve(FRONT_END));
            }
            Files.copy(b.onnx(), tmp.resolve(ENCODER));
            Bundle.writeRun(tmp, run, c.head(), configYaml);
        });
    }

    public static AudioManifest readManifest(Path dir) {
        Path mf = dir.resolve(Bundle.MANIFEST);
        if (!Files.isRegularFile(mf)) {
            throw new UserException(dir + " has no " + Bundle.MANIFEST + "; it is not a transfer4j bundle (pass the --out directory of a train run)");
        }
        AudioManifest m;
        try {
            m = Json.MAPPER.readValue(mf.toFile(), AudioManifest.class);
        } catch (IOException e) {
            throw new UserException(mf + " is not a valid manifest (" + e.getMessage().lines().findFirst().orElse("")
                    + "); the bundle is damaged: retrain or restore it");
        }
        if (!TASK.equals(m.task())) {
            throw new UserException(dir + " is a " + m.task() + " bundle, not an audio one; use it with its own kind of data");
        }
        if (m.format() != Manifest.FORMAT) {
            throw new UserException(dir + " has bundle format " + m.format() + " but this transfer4j reads format " + Manifest.FORMAT);
        }
        if (m.backbone() == null || m.backbone().windowShape() == null || m.clipSamples() <= 0 || !(m.backbone().sampleScale() > 0)) {
            throw new UserException(mf + " lacks its backbone's window shape, input scale or clip length; the bundle is damaged: retrain or restore it");
        }
        return m;
    }

    /** The bundle's front end and encoder as a backbone (each checked against its recorded SHA-256). */
    public static AudioBackbone backbone(Path dir) {
        Backbone b = readManifest(dir).backbone();
        Path front = b.frontEnd() == null ? null : Bundle.checkedFile(dir, b.frontEnd(), b.frontEndSha256());
        Path encoder = Bundle.checkedFile(dir, b.encoder(), b.sha256());
        return new AudioBackbone(b.id(), front, b.frontEndSha256(), b.sampleScale(), b.frameScale(), b.frameOffset(), b.bins(), b.frameLength(), b.frameHop(),
                encoder, b.sha256(), b.input(), b.windowShape(), b.windowFrames(), b.windowHop(), b.sampleRate(), b.features(), b.arch(),
                true, b.licence());
    }

    public static AudioModel load(Path dir) {
        AudioManifest m = readManifest(dir);
        AudioBackbone backbone = backbone(dir);
        LabelMap labels = new LabelMap(m.labels());
        Model head = HeadFile.read(dir, HeadType.LOGISTIC.build(labels.size(), 0), backbone.features());
        return new AudioModel(backbone, m.clipSamples(), new Standardizer(m.featureMean(), m.featureScale(), m.featureUnitLength()), head, labels, null);
    }
}
