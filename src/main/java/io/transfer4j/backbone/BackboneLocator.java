package io.transfer4j.backbone;

import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Puts a backbone's files on local disk. A Maven jar is taken from the classpath when it is a
 * dependency (the default encoder), else from the local Maven repository, else fetched; its two
 * entries are copied out once into {@code $TRANSFER4J_HOME/backbones/} together with the graph's
 * SHA-256, so later runs neither unzip nor re-hash 100 MB. Only the two named entries are read;
 * nothing else in a jar is extracted or loaded.
 */
public final class BackboneLocator {
    private final ArtifactResolver resolver;
    private final Path cacheRoot;

    public BackboneLocator(ArtifactResolver resolver, Path cacheRoot) {
        this.resolver = resolver;
        this.cacheRoot = cacheRoot;
    }

    public static BackboneLocator standard() {
        return new BackboneLocator(ArtifactResolver.standard(), Dirs.backbones());
    }

    /** Whether the backbone can be used without any network access. */
    public boolean availableOffline(BackboneSpec spec) {
        if (spec.source() instanceof ModelSource.Files f) {
            return Files.isRegularFile(f.onnx()) && Files.isRegularFile(f.tokenizer());
        }
        if (spec.source() instanceof ModelSource.TensorFlowJar t) {
            return Files.isRegularFile(cacheDir(t).resolve("sha256")) || resolver.isLocal(t);
        }
        ModelSource.MavenJar j = (ModelSource.MavenJar) spec.source();
        return Files.isRegularFile(cacheDir(j).resolve("sha256")) || onClasspath(j) != null || resolver.isLocal(j);
    }

    public BackboneFiles locate(BackboneSpec spec) {
        if (spec.source() instanceof ModelSource.Files f) {
            if (!Files.isRegularFile(f.onnx())) {
                throw new UserException("backbone " + spec.id() + ": ONNX file " + f.onnx() + " is missing; restore it or re-register the backbone");
            }
            if (!Files.isRegularFile(f.tokenizer())) {
                throw new UserException("backbone " + spec.id() + ": tokenizer " + f.tokenizer() + " is missing; restore it or re-register the backbone");
            }
            return new BackboneFiles(f.onnx(), f.tokenizer(), Hashing.sha256Hex(f.onnx()));
        }
        if (spec.source() instanceof ModelSource.TensorFlowJar t) {
            return fromTensorFlowJar(t);
        }
        return fromJar((ModelSource.MavenJar) spec.source());
    }

    private BackboneFiles fromTensorFlowJar(ModelSource.TensorFlowJar t) {
        Path dir = cacheDir(t);
        if (!Files.isRegularFile(dir.resolve("sha256"))) {
            SavedModels.importInto(t, resolver.resolve(t), dir);
        }
        return cached(dir, dir.resolve(SavedModels.ONNX), dir.resolve(SavedModels.TOKENIZER));
    }

    private BackboneFiles cached(Path dir, Path onnx, Path tok) {
        try {
            return new BackboneFiles(onnx, tok, Files.readString(dir.resolve("sha256")).strip());
        } catch (IOException e) {
            throw new UserException("cannot read " + dir.resolve("sha256") + "; delete " + dir + " and rerun");
        }
    }

    private Path cacheDir(ModelSource.Artifact j) {
        String imported = j instanceof ModelSource.TensorFlowJar ? "-import" + SavedModels.IMPORT_VERSION : "";
        return cacheRoot.resolve(j.artifactId() + "-" + j.version() + imported);
    }

    private BackboneFiles fromJar(ModelSource.MavenJar j) {
        Path dir = cacheDir(j);
        Path onnx = dir.resolve(j.onnxEntry());
        Path tok = dir.resolve(j.tokenizerEntry());
        Path sha = dir.resolve("sha256");
        if (Files.isRegularFile(sha) && Files.isRegularFile(onnx) && Files.isRegularFile(tok)) {
            return cached(dir, onnx, tok);
        }
        Path jarPath = onClasspath(j);
        if (jarPath == null) {
            jarPath = resolver.resolve(j);
        }
        Path source = jarPath;
        AtomicDirectory.write(dir, tmp -> {
            try (ZipFile zip = new ZipFile(source.toFile())) {
                copyEntry(zip, j.onnxEntry(), tmp.resolve(j.onnxEntry()), source);
                copyEntry(zip, j.tokenizerEntry(), tmp.resolve(j.tokenizerEntry()), source);
            }
            Files.writeString(tmp.resolve("sha256"), Hashing.sha256Hex(tmp.resolve(j.onnxEntry())), StandardCharsets.UTF_8);
        });
        return cached(dir, onnx, tok);
    }

    private static void copyEntry(ZipFile zip, String name, Path target, Path jar) throws IOException {
        // Entry names are fixed by the catalogue, never taken from the archive, so there is no path traversal.
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new UserException(jar + " has no entry " + name + "; the jar is not the expected model artifact");
        }
        try (InputStream in = zip.getInputStream(e)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The jar holding the model when it is on the classpath (a declared dependency), else null. */
    private static Path onClasspath(ModelSource.MavenJar j) {
        URL url = BackboneLocator.class.getClassLoader().getResource(j.onnxEntry());
        if (url == null || !"jar".equals(url.getProtocol())) {
            return null;
        }
        String s = url.getPath();
        int bang = s.indexOf("!/");
        if (!s.startsWith("file:") || bang < 0) {
            return null;
        }
        try {
            return Path.of(new java.net.URI(s.substring(0, bang)));
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
