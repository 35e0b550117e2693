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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.transfer4j.util.Hashing;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * A text backbone resolved once on the driver and broadcast to the executors, the way Spark NLP
 * ships its models: executors on other machines never need the catalogue, Maven or the driver's
 * cache. It carries the
 * catalogue entry's preprocessing (pooling, prefix, token length) so every executor embeds exactly
 * as {@code train} does on one machine, and the graph's SHA-256, checked again where it lands.
 */
public final class StagedBackbone implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The graph and tokenizer bytes broadcast per SparkContext and graph, so repeated transforms broadcast once. */
    private static final Map<String, Broadcast<byte[][]>> SHIPPED = new ConcurrentHashMap<>();
    /** Per executor JVM: where each graph's files were written (or found), by SHA-256. */
    private static final Map<String, Path[]> LOCAL = new ConcurrentHashMap<>();

    private final String id;
    private final String name;
    private final Pooling pooling;
    private final String prefix;
    private final int maxLength;
    private final int maxWindows;
    private final int width;
    private final String licence;
    private final String sha256;
    /** Where the driver read the files: used as they are where an executor sees the same file system (local mode). */
    private final String driverOnnx;
    private final String driverTokenizer;
    private Broadcast<byte[][]> bytes;
    /** The driver's resolution, for the driver's own use (the bundle it writes); not shipped. */
    private transient Resolved resolved;

    private StagedBackbone(BackboneSpec spec, BackboneFiles files, int maxLength, int maxWindows) {
        this.id = spec.id();
        this.name = spec.name();
        this.pooling = spec.pooling();
        this.prefix = spec.prefix();
        this.maxLength = maxLength;
        this.maxWindows = maxWindows;
        this.width = spec.width();
        this.licence = spec.licence();
        this.sha256 = files.sha256();
        this.driverOnnx = files.onnx().toAbsolutePath().toString();
        this.driverTokenizer = files.tokenizer().toAbsolutePath().toString();
    }

    /**
     * Resolves {@code reference} (a catalogue id, a {@code model.onnx} path with its tokenizer beside
     * it, or a layer cut) on the driver and adds its files to {@code spark}'s context.
     *
     * @param maxLength tokens per window; 0 for the backbone's own limit
     */
    public static StagedBackbone ship(SparkSession spark, String reference, int maxLength, int maxWindows) {
        Resolved r = resolve(reference);
        int length = maxLength > 0 ? maxLength : r.maxLength();
        if (length > r.spec().maxLength()) {
            throw new UserException("max length " + length + " exceeds what " + r.spec().id() + " supports (" + r.spec().maxLength()
                    + " tokens); use at most " + r.spec().maxLength());
        }
        StagedBackbone staged = new StagedBackbone(r.spec(), r.files(), length, maxWindows);
        staged.resolved = r;
        staged.broadcast(spark, r.files());
        return staged;
    }

    /**
     * A backbone reference resolved on this machine.
     *
     * @param maxLength tokens per window it is read at unless told otherwise (a bundle's own; else the backbone's limit)
     */
    public record Resolved(BackboneSpec spec, BackboneFiles files, int maxLength) {}

    /**
     * {@code reference} as {@code train --backbone} reads it (a catalogue id, id@layer, a
     * {@code model.onnx} with its tokenizer beside it), or a text bundle's folder: its encoder with
     * the pooling, prefix and length its manifest records.
     */
    public static Resolved resolve(String reference) {
        Path dir = Path.of(reference);
        if (Files.isDirectory(dir) && io.transfer4j.bundle.Bundle.task(dir) != null) {
            try (io.transfer4j.model.ProbeClassifier c = io.transfer4j.bundle.Bundle.load(dir)) {
                return new Resolved(c.extractor().spec(), c.extractor().files(), c.extractor().maxLength());
            }
        }
        BackboneSpec spec = LayerCut.resolve(BackboneCatalogue.load(), reference);
        return new Resolved(spec, BackboneLocator.standard().locate(spec), spec.maxLength());
    }

    /**
     * Broadcasts the graph and tokenizer (Spark's torrent broadcast: each executor fetches them once,
     * from the driver or its peers), the way Spark NLP ships models; files added with
     * {@code addFile} are scoped to Spark's artifact sessions and did not reach SQL tasks on a cluster.
     */
    private void broadcast(SparkSession spark, BackboneFiles files) {
        String key = spark.sparkContext().applicationId() + "/" + sha256;
        bytes = SHIPPED.computeIfAbsent(key, k -> {
            try {
                byte[][] content = {Files.readAllBytes(files.onnx()), Files.readAllBytes(files.tokenizer())};
                return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(content);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read backbone " + id + " to ship it to the executors", e);
            }
        });
    }

    /** The backbone's files on this node, hash-checked; the spec an encoder opens. */
    BackboneSpec localSpec() {
        Path[] f = LOCAL.computeIfAbsent(sha256, k -> materialise());
        return new BackboneSpec(id, name, new ModelSource.Files(f[0], f[1]), pooling, prefix, maxLength, width, licence,
                "shipped by Spark", 0);
    }

    private Path[] materialise() {
        Path onnx = Path.of(driverOnnx);
        Path tokenizer = Path.of(driverTokenizer);
        if (Files.isRegularFile(onnx) && Files.isRegularFile(tokenizer) && Hashing.sha256Hex(onnx).equals(sha256)) {
            return new Path[] {onnx, tokenizer};
        }
        try {
            Path dir = Files.createTempDirectory("transfer4j-backbone-");
            byte[][] content = bytes.value();
            Path o = Files.write(dir.resolve("model.onnx"), content[0]);
            Path t = Files.write(dir.resolve("tokenizer.json"), content[1]);
            for (Path p : new Path[] {dir, o, t}) {
                p.toFile().deleteOnExit();
            }
            return new Path[] {o, t};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write backbone " + id + " on this executor", e);
        }
    }

    BackboneFiles localFiles() {
        BackboneFiles files = BackboneLocator.standard().locate(localSpec());
        if (!files.sha256().equals(sha256)) {
            throw new UserException("backbone " + id + " arrived on this executor with SHA-256 " + files.sha256().substring(0, 12)
                    + "... instead of " + sha256.substring(0, 12) + "...; the copy Spark shipped is damaged: rerun the job");
        }
        return files;
    }

    /** The backbone as the driver resolved it (its catalogue entry and files); null on an executor. */
    public Resolved resolved() {
        return resolved;
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

    public Pooling pooling() {
        return pooling;
    }

    public String prefix() {
        return prefix;
    }

    /** Key of the one encoder per executor JVM: the same graph read the same way. */
    String encoderKey(int batchSize) {
        return sha256 + "/" + maxLength + "/" + maxWindows + "/" + batchSize + "/" + pooling + "/" + prefix;
    }
}
