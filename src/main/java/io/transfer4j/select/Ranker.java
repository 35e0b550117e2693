package io.transfer4j.select;

import io.transfer4j.backbone.LayerCut;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.TextDataset;
import io.transfer4j.onnx.LayerOutputs;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Scores candidate backbones, and optionally layers inside them, on a labelled dataset from their
 * frozen features (through the embedding cache), without fine-tuning anything, and ranks them by
 * LogME. Every layer of a backbone comes from one forward pass: the graph is rewritten to expose
 * the chosen layers' hidden states as outputs. Given test data, each candidate also gets the test
 * accuracy of a linear probe, and the ranking reports how well each score predicted it.
 */
public final class Ranker {
    /** Score the backbone's own output only. */
    public static final int NO_LAYERS = 0;
    /** Score every indexed layer. */
    public static final int ALL_LAYERS = Integer.MAX_VALUE;
    /** The probe split's seed when none is given: a run's default. */
    static final long SEED = 42;

    private final BackboneCatalogue catalogue;
    private final Progress progress;
    private final int maxLength;

    public Ranker(BackboneCatalogue catalogue, Progress progress, int maxLength) {
        this.catalogue = catalogue;
        this.progress = progress;
        this.maxLength = maxLength;
    }

    /** Scores each backbone's final output. */
    public List<BackboneScore> rank(TextDataset data, List<String> backbones) {
        return rank(data, backbones, NO_LAYERS, null, SEED).candidates();
    }

    /**
     * @param layers {@link #NO_LAYERS}, {@link #ALL_LAYERS}, or that many layers evenly spaced
     *     from the input up, always including the last
     * @param test held-out data on which each candidate's linear probe is measured; null to skip
     * @param seed the split of {@code data} into probe training and validation parts
     */
    public Ranking rank(TextDataset data, List<String> backbones, int layers, TextDataset test, long seed) {
        data.requireTrainable();
        LabelMap labels = data.labelMap();
        if (test != null) {
            test.labelIndices(labels); // fails early, naming the label, if the test data has one the training data lacks
        }
        List<BackboneScore> out = new ArrayList<>();
        for (String id : backbones) {
            BackboneSpec spec = LayerCut.resolve(catalogue, id);
            BackboneFiles files = BackboneLocator.standard().locate(spec);
            List<String> names = new ArrayList<>();
            List<String> tensors = new ArrayList<>();
            BackboneFiles source = files;
            if (layers != NO_LAYERS) {
                Map<String, String> all = LayerOutputs.of(OnnxFile.read(files.onnx()));
                if (all.isEmpty()) {
                    throw new UserException("no indexed layers found in " + files.onnx() + " (node names like /encoder/layer.3/...); "
                            + "rank it without --layers");
                }
                List<String> keys = new ArrayList<>(all.keySet());
                for (int k : chosen(keys.size(), layers)) {
                    names.add(spec.id() + "@" + keys.get(k));
                    tensors.add(all.get(keys.get(k)));
                }
                // one graph exposing every chosen layer, so all of them come from one forward pass
                source = LayerCut.cut(files, "layers-" + Hashing.sha256Hex(String.join("|", tensors)).substring(0, 12), tensors);
            } else {
                names.add(spec.id());
            }
            out.addAll(score(spec, source, tensors, names, data, labels, test, seed));
        }
        out.sort(Comparator.comparingDouble(BackboneScore::logMe).reversed());
        return Ranking.of(out, seed);
    }

    /** Indices of {@code want} of {@code n} layers, evenly spaced and ending at the last. */
    static int[] chosen(int n, int want) {
        int k = Math.min(n, Math.max(1, want));
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = (int) Math.round((double) (i + 1) * n / k) - 1;
        }
        return idx;
    }

    private List<BackboneScore> score(BackboneSpec spec, BackboneFiles files, List<String> tensors, List<String> names,
            TextDataset data, LabelMap labels, TextDataset test, long seed) {
        int len = maxLength > 0 ? Math.min(maxLength, spec.maxLength()) : spec.maxLength();
        List<String> texts = new ArrayList<>(data.texts());
        if (test != null) {
            texts.addAll(test.texts());
        }
        long t0 = System.nanoTime();
        List<float[][]> features;
        try (FeatureExtractor fx = new FeatureExtractor(spec, files, len, TextEncoder.DEFAULT_MAX_WINDOWS, 32, Dirs.embeddings(),
                tensors)) {
            features = fx.extractAll(texts, progress);
        }
        long extractMillis = (System.nanoTime() - t0) / 1_000_000;
        int[] testY = test == null ? null : test.labelIndices(labels);
        List<BackboneScore> out = new ArrayList<>();
        for (int c = 0; c < features.size(); c++) {
            float[][] all = features.get(c);
            out.add(FeatureScores.score(names.get(c), Arrays.copyOf(all, data.size()), data.labels(), labels,
                    test == null ? null : Arrays.copyOfRange(all, data.size(), all.length), testY, seed, extractMillis));
        }
        return out;
    }
}
