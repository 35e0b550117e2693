package io.transfer4j.backbone;

import io.transfer4j.util.Dirs;
import io.transfer4j.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts to feature vectors through a frozen backbone, with the on-disk cache in front: the ONNX
 * session is opened only when some text is not cached yet, so a repeated run never loads the
 * encoder. Not thread-safe.
 */
public final class FeatureExtractor implements AutoCloseable {
    private final BackboneSpec spec;
    private final BackboneFiles files;
    private final int maxLength;
    private final int batchSize;
    private final int maxWindows;
    private final Path cacheRoot;
    private TextEncoder encoder;
    private EmbeddingCache cache;
    private final Stats stats = new Stats();

    /** What the extractor did: how many vectors came from the cache, how many texts were encoded or truncated. */
    public static final class Stats {
        private long cacheHits;
        private long encoded;
        private long truncated;
        private long encodeNanos;

        public long cacheHits() {
            return cacheHits;
        }

        public long encoded() {
            return encoded;
        }

        public long truncated() {
            return truncated;
        }

        public long encodeMillis() {
            return encodeNanos / 1_000_000;
        }
    }

    public FeatureExtractor(BackboneSpec spec, BackboneFiles files, int maxLength, int maxWindows, int batchSize,
            Path cacheRoot) {
        this.maxWindows = maxWindows;
        this.spec = spec;
        this.files = files;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        this.cacheRoot = cacheRoot;
    }

    /** Uses the standard cache location; {@code cache=false} recomputes everything. */
    public static FeatureExtractor of(BackboneSpec spec, BackboneFiles files, int maxLength, int maxWindows, boolean cache) {
        return new FeatureExtractor(spec, files, maxLength, maxWindows, 32, cache ? Dirs.embeddings() : null);
    }

    public int maxWindows() {
        return maxWindows;
    }

    public BackboneSpec spec() {
        return spec;
    }

    public BackboneFiles files() {
        return files;
    }

    public int maxLength() {
        return maxLength;
    }

    public Stats stats() {
        return stats;
    }

    /** The output width; opens the encoder if the catalogue does not know it. */
    public int width() {
        return spec.width() > 0 ? spec.width() : encoder().width();
    }

    public float[][] extract(List<String> texts, Progress progress) {
        float[][] out = new float[texts.size()][];
        List<Integer> missing = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>(texts.size());
        EmbeddingCache c = cache();
        for (int i = 0; i < texts.size(); i++) {
            byte[] k = EmbeddingCache.keyOf(texts.get(i));
            keys.add(k);
            float[] v = c == null ? null : c.get(k);
            if (v != null) {
                out[i] = v;
                stats.cacheHits++;
            } else {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            List<String> todo = new ArrayList<>(missing.size());
            for (int i : missing) {
                todo.add(texts.get(i));
            }
            long t0 = System.nanoTime();
            Tokenized tok = encoder().tokenize(todo);
            float[][] vecs = encoder().embed(tok, progress);
            stats.encodeNanos += System.nanoTime() - t0;
            stats.encoded += todo.size();
            stats.truncated += tok.truncated();
            for (int j = 0; j < missing.size(); j++) {
                out[missing.get(j)] = vecs[j];
                if (c != null) {
                    c.put(keys.get(missing.get(j)), vecs[j]);
                }
            }
            if (c != null) {
                c.flush();
            }
        }
        return out;
    }

    private EmbeddingCache cache() {
        if (cacheRoot == null) {
            return null;
        }
        if (cache == null) {
            cache = EmbeddingCache.open(cacheRoot, files.sha256(), maxLength, maxWindows, spec.prefix(), spec.pooling(), width());
        }
        return cache;
    }

    private TextEncoder encoder() {
        if (encoder == null) {
            encoder = TextEncoder.open(spec, files, maxLength, batchSize, maxWindows);
        }
        return encoder;
    }

    @Override
    public void close() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }
}
