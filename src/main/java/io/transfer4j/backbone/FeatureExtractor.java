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
    /** Graph outputs pooled in one pass (inner layers); empty for the backbone's own output. */
    private final List<String> outputs;
    private TextEncoder encoder;
    private List<EmbeddingCache> caches;
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
        this(spec, files, maxLength, maxWindows, batchSize, cacheRoot, List.of());
    }

    /**
     * An extractor that pools each of {@code outputs} (tensors the graph exposes as outputs, e.g.
     * every layer's hidden states) from the same forward pass, each cached on its own.
     */
    public FeatureExtractor(BackboneSpec spec, BackboneFiles files, int maxLength, int maxWindows, int batchSize,
            Path cacheRoot, List<String> outputs) {
        this.outputs = List.copyOf(outputs);
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
        return extractAll(texts, progress).get(0);
    }

    /** One matrix per output (in the order given), from the cache where every output has the text. */
    public List<float[][]> extractAll(List<String> texts, Progress progress) {
        int heads = Math.max(1, outputs.size());
        List<float[][]> out = new ArrayList<>(heads);
        for (int o = 0; o < heads; o++) {
            out.add(new float[texts.size()][]);
        }
        List<Integer> missing = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>(texts.size());
        List<EmbeddingCache> cs = caches();
        for (int i = 0; i < texts.size(); i++) {
            byte[] k = EmbeddingCache.keyOf(texts.get(i));
            keys.add(k);
            boolean hit = cs != null;
            for (int o = 0; hit && o < heads; o++) {
                float[] v = cs.get(o).get(k);
                out.get(o)[i] = v;
                hit = v != null;
            }
            if (hit) {
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
            List<float[][]> vecs = encoder().embedAll(tok, progress);
            stats.encodeNanos += System.nanoTime() - t0;
            stats.encoded += todo.size();
            stats.truncated += tok.truncated();
            for (int o = 0; o < heads; o++) {
                for (int j = 0; j < missing.size(); j++) {
                    out.get(o)[missing.get(j)] = vecs.get(o)[j];
                    if (cs != null) {
                        cs.get(o).put(keys.get(missing.get(j)), vecs.get(o)[j]);
                    }
                }
                if (cs != null) {
                    cs.get(o).flush();
                }
            }
        }
        return out;
    }

    private List<EmbeddingCache> caches() {
        if (cacheRoot == null) {
            return null;
        }
        if (caches == null) {
            caches = new ArrayList<>();
            if (outputs.isEmpty()) {
                caches.add(EmbeddingCache.open(cacheRoot, files.sha256(), maxLength, maxWindows, spec.prefix(), spec.pooling(), width()));
            } else {
                for (String o : outputs) {
                    caches.add(EmbeddingCache.open(cacheRoot, files.sha256() + "#" + o, maxLength, maxWindows, spec.prefix(),
                            spec.pooling(), width()));
                }
            }
        }
        return caches;
    }

    private TextEncoder encoder() {
        if (encoder == null) {
            encoder = TextEncoder.open(spec, files, maxLength, batchSize, maxWindows, outputs);
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
