package io.transfer4j.bundle;

import ai.djl.Model;
import io.transfer4j.run.TransferRun;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.data.ImageShape;
import io.transfer4j.data.LabelMap;
import io.transfer4j.train.HeadType;
import io.transfer4j.model.ImageModel;
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
 * An image model on disk: {@code manifest.json} (the backbone's input shape, normalisation and
 * SHA-256, labels, feature standardisation, config, scores), {@code backbone/model.onnx} (the
 * feature graph, tuned or pre-trained weights included), and what every bundle holds (head,
 * summary, guard, config, report: {@link Bundle#writeRun}). Written to a temp directory and renamed into place; loading reads data
 * only. A bundle is also a backbone: {@code train --backbone DIR} transfers from its features.
 */
public final class ImageBundle {
    public static final String TASK = "image-classification";
    static final String MODEL = "backbone/model.onnx";

    private ImageBundle() {}

    public record ImageManifest(int format, String transfer4jVersion, String createdAt, String task, Backbone backbone,
            List<String> labels, float[] featureMean, float[] featureScale, boolean featureUnitLength, String headFile, ImageRunConfig config,
            String trainDataSha256, Manifest.Scores scores) {}

    public record Backbone(String id, String file, String sha256, String input, int channels, int height, int width,
            float[] mean, float[] std, int features, String arch) {}

    /** Whether {@code dir} holds an image bundle (not a text one). */
    public static boolean isImageBundle(Path dir) {
        return TASK.equals(Bundle.task(dir));
    }

    public static void save(TransferRun<ImageModel, ImageRunConfig> run, Path dir, byte[] configYaml) {
        ImageModel c = run.model();
        ImageBackbone b = c.backbone();
        ImageShape s = b.shape();
        ImageManifest m = new ImageManifest(Manifest.FORMAT, Bundle.version(), Instant.now().toString(), TASK,
                new Backbone(b.id(), MODEL, b.sha256(), b.input(), s.channels(), s.height(), s.width(), b.mean(), b.std(),
                        b.features(), b.arch()),
                c.labels().names(), c.standardizer().mean(), c.standardizer().scale(), c.standardizer().unitLength(), Bundle.HEAD, run.config(),
                run.trainDataSha256(), Manifest.Scores.of(run));
        AtomicDirectory.write(dir, tmp -> {
            Files.write(tmp.resolve(Bundle.MANIFEST), Json.bytes(m));
            Files.createDirectories(tmp.resolve("backbone"));
            Files.copy(b.onnx(), tmp.resolve(MODEL));
            Bundle.writeRun(tmp, run, c.head(), configYaml);
        });
    }

    /**
     * A backbone without a classifier (self-supervised pre-training): the manifest with no labels
     * and no head, the feature graph, {@code pretrain.json} ({@code summary}) and the resolved
     * options; {@code train --backbone DIR} transfers from it, {@link #load} refuses it.
     */
    public static void saveBackbone(ImageBackbone b, ImageRunConfig config, Path dir, byte[] summary, byte[] configYaml) {
        ImageShape s = b.shape();
        ImageManifest m = new ImageManifest(Manifest.FORMAT, Bundle.version(), Instant.now().toString(), TASK,
                new Backbone(b.id(), MODEL, b.sha256(), b.input(), s.channels(), s.height(), s.width(), b.mean(), b.std(),
                        b.features(), b.arch()),
                List.of(), null, null, false, null, config, null, null);
        AtomicDirectory.write(dir, tmp -> {
            Files.write(tmp.resolve(Bundle.MANIFEST), Json.bytes(m));
            Files.createDirectories(tmp.resolve("backbone"));
            Files.copy(b.onnx(), tmp.resolve(MODEL));
            Files.write(tmp.resolve(Bundle.PRETRAIN), summary);
            if (configYaml != null) {
                Files.write(tmp.resolve(Bundle.CONFIG), configYaml);
            }
        });
    }

    public static ImageManifest readManifest(Path dir) {
        Path mf = dir.resolve(Bundle.MANIFEST);
        if (!Files.isRegularFile(mf)) {
            throw new UserException(dir + " has no " + Bundle.MANIFEST + "; it is not a transfer4j bundle (pass the --out directory of a train or pretrain run)");
        }
        ImageManifest m;
        try {
            m = Json.MAPPER.readValue(mf.toFile(), ImageManifest.class);
        } catch (IOException e) {
            throw new UserException(mf + " is not a valid manifest (" + e.getMessage().lines().findFirst().orElse("")
                    + "); the bundle is damaged: retrain or restore it");
        }
        if (!TASK.equals(m.task())) {
            throw new UserException(dir + " is a " + m.task() + " bundle, not an image one; use it with text data");
        }
        if (m.format() != Manifest.FORMAT) {
            throw new UserException(dir + " has bundle format " + m.format() + " but this transfer4j reads format " + Manifest.FORMAT);
        }
        return m;
    }

    /** The bundle's feature graph as a backbone (checked against its recorded SHA-256). */
    public static ImageBackbone backbone(Path dir) {
        ImageManifest m = readManifest(dir);
        Backbone b = m.backbone();
        Path onnx = Bundle.checkedFile(dir, b.file(), b.sha256());
        String sha = b.sha256();
        return new ImageBackbone(b.id(), onnx, sha, b.input(), new ImageShape(b.channels(), b.height(), b.width()), b.mean(), b.std(),
                b.features(), b.arch(), true);
    }

    public static ImageModel load(Path dir) {
        ImageManifest m = readManifest(dir);
        if (m.headFile() == null || m.labels() == null || m.labels().isEmpty()) {
            throw new UserException(dir + " holds a backbone pre-trained without labels (" + m.backbone().id() + ") and no classifier; "
                    + "train one on it first: train --backbone " + dir + " --data LABELLED --out DIR");
        }
        ImageBackbone backbone = backbone(dir);
        LabelMap labels = new LabelMap(m.labels());
        Model head = HeadFile.read(dir, HeadType.LOGISTIC.build(labels.size(), 0), backbone.features());
        return new ImageModel(backbone, new Standardizer(m.featureMean(), m.featureScale(), m.featureUnitLength()), head, labels);
    }
}
