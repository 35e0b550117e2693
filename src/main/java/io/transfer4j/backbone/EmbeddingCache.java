package io.transfer4j.backbone;

import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Hashing;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pooled vectors on disk, one file per (backbone SHA-256, max length, windows, prefix, pooling), each
 * vector keyed by the SHA-256 of its text. Keying by text rather than by dataset lets a re-split,
 * a subset or a test file reuse what an earlier run computed. A damaged file is ignored and
 * rebuilt, never trusted.
 */
public final class EmbeddingCache {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);
    private static final int MAGIC = 0x54344a45; // "T4JE"

    private final Path file;
    private final int width;
    private final Map<Key, float[]> vectors = new HashMap<>();
    private boolean dirty;

    private EmbeddingCache(Path file, int width) {
        this.file = file;
        this.width = width;
    }

    /** Opens (or starts) the cache for one encoder configuration under {@code root}. */
    public static EmbeddingCache open(Path root, String backboneSha, int maxLength, int maxWindows, String prefix,
            Pooling pooling, int width) {
        String key = Hashing.sha256Hex(backboneSha + "|" + maxLength + "|" + maxWindows + "|" + prefix + "|" + pooling);
        EmbeddingCache c = new EmbeddingCache(root.resolve(key.substring(0, 24) + ".vec"), width);
        c.read();
        return c;
    }

    public static byte[] keyOf(String text) {
        return Hashing.sha256(text);
    }

    public float[] get(byte[] key) {
        return vectors.get(new Key(key));
    }

    public void put(byte[] key, float[] vector) {
        if (vector.length != width) {
            throw new IllegalArgumentException("vector width " + vector.length + " != " + width);
        }
        vectors.put(new Key(key), vector);
        dirty = true;
    }

    public int size() {
        return vectors.size();
    }

    public Path file() {
        return file;
    }

    /** Writes the whole cache through a temp file and a rename, so a crash never leaves it half-written. */
    public void flush() {
        if (!dirty) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(vectors.size() * (32 + 4 * width) + 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(width);
            out.writeInt(vectors.size());
            for (Map.Entry<Key, float[]> e : vectors.entrySet()) {
                out.write(e.getKey().bytes);
                for (float f : e.getValue()) {
                    out.writeFloat(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicDirectory.writeFile(file, bytes.toByteArray());
        dirty = false;
    }

    private void read() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != width) {
                LOG.warn("ignoring embedding cache {} with another format", file);
                return;
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] k = new byte[32];
                in.readFully(k);
                float[] v = new float[width];
                for (int d = 0; d < width; d++) {
                    v[d] = in.readFloat();
                }
                vectors.put(new Key(k), v);
            }
        } catch (IOException e) {
            LOG.warn("ignoring damaged embedding cache {}: {}", file, e.toString());
            vectors.clear();
        }
    }

    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
