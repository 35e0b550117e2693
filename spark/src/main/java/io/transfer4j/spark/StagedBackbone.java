package io.transfer4j.spark;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.LayerCut;
import io.transfer4j.backbone.ModelSource;
import io.transfer4j.backbone.Pooling;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * A text backbone resolved once on the driver and shipped to the executors with Spark's own file
 * distribution ({@code SparkContext.addFile}), the way Spark NLP broadcasts its models: executors
 * on other machines never need the catalogue, Maven or the driver's cache. It carries the
 * catalogue entry's preprocessing (pooling, prefix, token length) so every executor embeds exactly
 * as {@code train} does on one machine, and the graph's SHA-256, checked again where it lands.
 */
public final class StagedBackbone implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Folders already handed to a SparkContext in this JVM: addFile refuses a name twice. */
    private static final Set<String> SHIPPED = ConcurrentHashMap.newKeySet();

    private final String id;
    private final String name;
    private final Pooling pooling;
    private final String prefix;
    private final int maxLength;
    private final int maxWindows;
    private final int width;
    private final String licence;
    private final String sha256;
    /** Name of the folder (model.onnx, tokenizer.json) under SparkFiles' root on every node. */
    private final String folder;

    private StagedBackbone(BackboneSpec spec, int maxLength, int maxWindows, String sha256) {
        this.id = spec.id();
        this.name = spec.name();
        this.pooling = spec.pooling();
        this.prefix = spec.prefix();
        this.maxLength = maxLength;
        this.maxWindows = maxWindows;
        this.width = spec.width();
        this.licence = spec.licence();
        this.sha256 = sha256;
        this.folder = "transfer4j-" + sha256.substring(0, 16);
    }

    /**
     * Resolves {@code reference} (a catalogue id, a {@code model.onnx} path with its tokenizer beside
     * it, or a layer cut) on the driver and adds its files to {@code spark}'s context.
     *
     * @param maxLength tokens per window; 0 for the backbone's own limit
     */
    public static StagedBackbone ship(SparkSession spark, String reference, int maxLength, int maxWindows) {
        BackboneSpec spec = LayerCut.resolve(BackboneCatalogue.load(), reference);
        int length = maxLength > 0 ? maxLength : spec.maxLength();
        if (length > spec.maxLength()) {
            throw new UserException("max length " + length + " exceeds what " + spec.id() + " supports (" + spec.maxLength()
                    + " tokens); use at most " + spec.maxLength());
        }
        BackboneFiles files = BackboneLocator.standard().locate(spec);
        StagedBackbone staged = new StagedBackbone(spec, length, maxWindows, files.sha256());
        staged.addTo(spark, files);
        return staged;
    }

    private void addTo(SparkSession spark, BackboneFiles files) {
        String key = spark.sparkContext().applicationId() + "/" + folder;
        if (!SHIPPED.add(key)) {
            return;
        }
        try {
            Path stage = Files.createDirectories(Files.createTempDirectory("transfer4j-stage-").resolve(folder));
            Files.copy(files.onnx(), stage.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(files.tokenizer(), stage.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            stage.getParent().toFile().deleteOnExit();
            stage.toFile().deleteOnExit();
            stage.resolve("model.onnx").toFile().deleteOnExit();
            stage.resolve("tokenizer.json").toFile().deleteOnExit();
            spark.sparkContext().addFile(stage.toUri().toString(), true);
        } catch (IOException e) {
            SHIPPED.remove(key);
            throw new UncheckedIOException("cannot stage backbone " + id + " for Spark", e);
        }
    }

    /** The backbone's files where Spark put them on this node, hash-checked; the spec an encoder opens. */
    BackboneSpec localSpec() {
        Path dir = Path.of(SparkFiles.get(folder));
        Path onnx = dir.resolve("model.onnx");
        return new BackboneSpec(id, name, new ModelSource.Files(onnx, dir.resolve("tokenizer.json")), pooling, prefix, maxLength,
                width, licence, "shipped by Spark", 0);
    }

    BackboneFiles localFiles() {
        BackboneSpec spec = localSpec();
        BackboneFiles files = BackboneLocator.standard().locate(spec);
        if (!files.sha256().equals(sha256)) {
            throw new UserException("backbone " + id + " arrived on this executor with SHA-256 " + files.sha256().substring(0, 12)
                    + "... instead of " + sha256.substring(0, 12) + "...; the copy Spark shipped is damaged: rerun the job");
        }
        return files;
    }

    public String id() {
        return id;
    }

    public String sha256() {
        return sha256;
    }

    public int maxLength() {
        return maxLength;
    }

    public int maxWindows() {
        return maxWindows;
    }

    /** Key of the one encoder per executor JVM: the same graph read the same way. */
    String encoderKey(int batchSize) {
        return sha256 + "/" + maxLength + "/" + maxWindows + "/" + batchSize + "/" + pooling + "/" + prefix;
    }
}
