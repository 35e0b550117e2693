package io.transfer4j.bundle;

import ai.djl.Model;
import io.transfer4j.run.RunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.backbone.ModelSource;
import io.transfer4j.data.LabelMap;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.train.Standardizer;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A trained model on disk: {@code manifest.json} (backbone id and SHA-256, labels, preprocessing,
 * config, seed, scores), {@code head.params} (the head's weights), {@code summary.json} (the
 * full run: metrics of transfer and scratch, training curves, timings) and {@code report.html}
 * with its charts. Written to a temp directory
 * and renamed into place; loading reads data only.
 */
public final class Bundle {
    public static final String MANIFEST = "manifest.json";
    public static final String HEAD = "head.params";
    public static final String SUMMARY = "summary.json";

    private Bundle() {}

    public static final String GUARD = "guard.json";
    public static final String CONFIG = "config.yaml";
    /** A self-supervised backbone's record of its pre-training, in place of a summary (it has no classifier to score). */
    public static final String PRETRAIN = "pretrain.json";
    /** Folder of a fine-tuned bundle holding its own encoder (model.onnx, tokenizer.json). */
    public static final String BACKBONE_DIR = "backbone";
    static final String BUNDLED = "bundle:";

    public static void save(TransferRun<ProbeClassifier, RunConfig> run, Path dir) {
        save(run, dir, null);
    }

    /**
     * Saves the bundle with the run's resolved options as {@code config.yaml} (may be null) and,
     * when the run was repeated over seeds, its comparison with scratch as {@code guard.json}.
     */
    public static void save(TransferRun<ProbeClassifier, RunConfig> run, Path dir, byte[] configYaml) {
        ProbeClassifier c = run.model();
        FeatureExtractor fx = c.extractor();
        BackboneSpec spec = fx.spec();
        boolean tuned = run.tuning() != null && run.tuning().tunedBackbone() != null;
        // A fine-tuned encoder, or a backbone cut after an inner layer, exists only on this machine: bundle it.
        boolean bundled = tuned || spec.id().indexOf(io.transfer4j.backbone.LayerCut.SEPARATOR) >= 0;
        String source = bundled ? BUNDLED + BACKBONE_DIR + "/model.onnx" : spec.source().describe();
        Manifest m = new Manifest(Manifest.FORMAT, version(), Instant.now().toString(), "text-classification",
                new Manifest.Backbone(spec.id(), spec.name(), source, fx.files().sha256(),
                        spec.pooling(), spec.prefix(), fx.maxLength(), fx.maxWindows(), fx.width(), spec.licence()),
                new Manifest.Head(c.headType(), c.hidden(), fx.width(), run.transfer().training().l2(), HEAD),
                c.labels().names(), c.standardizer().mean(), c.standardizer().scale(), c.standardizer().unitLength(), run.config(), run.trainDataSha256(),
                Manifest.Scores.of(run));
        AtomicDirectory.write(dir, tmp -> {
            Files.write(tmp.resolve(MANIFEST), Json.bytes(m));
            writeRun(tmp, run, c.head(), configYaml);
            if (bundled) {
                // The encoder is part of the model: it travels inside the bundle.
                Path bb = Files.createDirectories(tmp.resolve(BACKBONE_DIR));
                Files.copy(fx.files().onnx(), bb.resolve("model.onnx"));
                Files.copy(fx.files().tokenizer(), bb.resolve("tokenizer.json"));
            }
        });
    }

    /**
     * What every bundle holds besides its manifest and backbone, whatever the modality: the head's
     * weights, the full run as {@code summary.json}, the seeds comparison as {@code guard.json}
     * (when repeated), the resolved options as {@code config.yaml} (may be null) and the report.
     */
    static void writeRun(Path tmp, TransferRun<?, ?> run, Model head, byte[] configYaml) throws IOException {
        HeadFile.write(head, tmp.resolve(HEAD));
        Files.write(tmp.resolve(SUMMARY), Json.bytes(run));
        if (run.guard() != null) {
            Files.write(tmp.resolve(GUARD), Json.bytes(run.guard()));
        }
        if (configYaml != null) {
            Files.write(tmp.resolve(CONFIG), configYaml);
        }
        io.transfer4j.report.HtmlReport.write(tmp, run, run.guard(), configYaml);
    }

    /**
     * A file a bundle's manifest names, checked: inside the bundle, present, and with the SHA-256
     * the manifest records. Any failure is a one-line error saying the bundle is damaged.
     */
    static Path checkedFile(Path dir, String file, String sha256) {
        Path root = dir.toAbsolutePath().normalize();
        Path f = root.resolve(file).normalize();
        if (!f.startsWith(root)) {
            throw new UserException("bundle " + dir + " names a file outside itself (" + file + "); refusing to read it: the bundle is damaged or hostile");
        }
        if (!Files.isRegularFile(f)) {
            throw new UserException("bundle " + dir + " lacks its " + file + "; the bundle is damaged: retrain or restore it");
        }
        String sha = io.transfer4j.util.Hashing.sha256Hex(f);
        if (sha256 == null || !sha.equals(sha256)) {
            throw new UserException("bundle " + dir + ": " + file + " has SHA-256 " + sha.substring(0, 12) + "... but the manifest records "
                    + (sha256 == null ? "none" : sha256.substring(0, Math.min(12, sha256.length())) + "...")
                    + "; the bundle was modified or damaged: restore or retrain it");
        }
        return f;
    }

    /** The manifest's {@code task}, or null when {@code dir} holds no readable manifest: how commands tell bundles apart. */
    public static String task(Path dir) {
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) {
            return null;
        }
        try {
            return io.transfer4j.util.Json.MAPPER.readTree(mf.toFile()).path("task").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    public static Manifest readManifest(Path dir) {
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new UserException("model directory " + dir + " does not exist; pass the --out directory of a train run");
        }
        if (!Files.isRegularFile(mf)) {
            throw new UserException(dir + " has no " + MANIFEST + "; it is not a transfer4j bundle (pass the --out directory of a train run)");
        }
        Manifest m;
        try {
            m = Json.MAPPER.readValue(mf.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new UserException(mf + " is not a valid manifest (" + e.getMessage().lines().findFirst().orElse("")
                    + "); the bundle is damaged: retrain or restore it");
        }
        if (ImageBundle.TASK.equals(m.task())) {
            throw new UserException(dir + " is an image bundle; this command reads text bundles (image bundles work with "
                    + "predict, and as --backbone of train and curve)");
        }
        if (m.format() != Manifest.FORMAT) {
            throw new UserException(dir + " has bundle format " + m.format() + " but this transfer4j reads format "
                    + Manifest.FORMAT + "; use the transfer4j version that wrote it (" + m.transfer4jVersion() + ")");
        }
        return m;
    }

    /** Loads a bundle; fails if the backbone on this machine is not the one the head was trained on. */
    public static ProbeClassifier load(Path dir) {
        return load(dir, BackboneCatalogue.load(), BackboneLocator.standard(), true);
    }

    public static ProbeClassifier load(Path dir, BackboneCatalogue catalogue, BackboneLocator locator, boolean cache) {
        Manifest m = readManifest(dir);
        BackboneSpec spec = backboneSpec(dir, m, catalogue);
        BackboneFiles files = locator.locate(spec);
        if (!files.sha256().equals(m.backbone().sha256())) {
            throw new UserException("bundle " + dir + " was trained on backbone " + m.backbone().id() + " with SHA-256 "
                    + m.backbone().sha256().substring(0, 12) + "..., but the local " + files.onnx().getFileName() + " has "
                    + files.sha256().substring(0, 12) + "...; restore the original backbone file or retrain the model");
        }
        LabelMap labels = new LabelMap(m.labels());
        Model head = HeadFile.read(dir, m.head().type().build(labels.size(), m.head().hidden()), m.head().inputWidth());
        FeatureExtractor fx = FeatureExtractor.of(spec, files, m.backbone().maxLength(), m.backbone().maxWindows(), cache);
        return new ProbeClassifier(fx, new Standardizer(m.featureMean(), m.featureScale(), m.featureUnitLength()), m.head().type(),
                m.head().hidden(), head, labels);
    }

    private static BackboneSpec backboneSpec(Path dir, Manifest m, BackboneCatalogue catalogue) {
        Manifest.Backbone b = m.backbone();
        if (b.source().startsWith(BUNDLED)) {
            Path root = dir.toAbsolutePath().normalize();
            Path onnx = root.resolve(b.source().substring(BUNDLED.length())).normalize();
            if (!onnx.startsWith(root)) {
                throw new UserException("bundle " + dir + " names a backbone outside itself (" + b.source()
                        + "); refusing to read it: the bundle is damaged or hostile");
            }
            return new BackboneSpec(b.id(), b.name(), new ModelSource.Files(onnx, onnx.resolveSibling("tokenizer.json")),
                    b.pooling(), b.prefix(), b.maxLength(), b.width(), b.licence(), "bundled: " + b.name(), 0);
        }
        try {
            return catalogue.resolve(b.id());
        } catch (UserException notInCatalogue) {
            if (b.source().endsWith(".onnx")) {
                Path onnx = Path.of(b.source());
                return new BackboneSpec(b.id(), b.name(), new ModelSource.Files(onnx, onnx.resolveSibling("tokenizer.json")),
                        b.pooling(), b.prefix(), b.maxLength(), b.width(), b.licence(), "unknown", 0);
            }
            throw new UserException("bundle needs backbone '" + b.id() + "', which this machine's catalogue lacks; register it with `backbones add`");
        }
    }

    static String version() {
        String v = Bundle.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
