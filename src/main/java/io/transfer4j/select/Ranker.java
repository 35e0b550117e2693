package io.transfer4j.select;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.TextDataset;
import io.transfer4j.util.Progress;
import io.transfer4j.backbone.ModelSource;
import io.transfer4j.onnx.GraphEdits;
import io.transfer4j.onnx.LayerOutputs;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Comparator;
import java.util.List;

/**
 * Scores candidate backbones on a labelled dataset from their frozen features (through the
 * embedding cache), without training anything, and ranks them by LogME.
 */
public final class Ranker {
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
        return rank(data, backbones, false);
    }

    /**
     * Scores each backbone, and with {@code everyLayer} each of its indexed layers (the graph cut
     * after that layer, pooled the backbone's way), as candidates of their own.
     */
    public List<BackboneScore> rank(TextDataset data, List<String> backbones, boolean everyLayer) {
        data.requireTrainable();
        LabelMap labels = data.labelMap();
        int[] y = data.labelIndices(labels);
        List<BackboneScore> out = new ArrayList<>();
        for (String id : backbones) {
            BackboneSpec spec = catalogue.resolve(id);
            BackboneFiles files = BackboneLocator.standard().locate(spec);
            List<BackboneSpec> candidates = new ArrayList<>();
            List<BackboneFiles> candidateFiles = new ArrayList<>();
            if (everyLayer) {
                for (Map.Entry<String, String> layer : LayerOutputs.of(OnnxFile.read(files.onnx())).entrySet()) {
                    Path cut = cutFile(files, layer.getKey(), layer.getValue());
                    candidates.add(new BackboneSpec(spec.id() + "@" + layer.getKey(), spec.name() + " cut after " + layer.getKey(),
                            new ModelSource.Files(cut, files.tokenizer()), spec.pooling(), spec.prefix(), spec.maxLength(), 0,
                            spec.licence(), spec.pretrainedOn(), spec.sizeMb()));
                    candidateFiles.add(new BackboneFiles(cut, files.tokenizer(), Hashing.sha256Hex(cut)));
                }
            } else {
                candidates.add(spec);
                candidateFiles.add(files);
            }
            for (int c = 0; c < candidates.size(); c++) {
                out.add(score(candidates.get(c), candidateFiles.get(c), data, y));
            }
        }
        out.sort(Comparator.comparingDouble(BackboneScore::logMe).reversed());
        return out;
    }

    /** The backbone cut after one layer, written once next to the extracted backbones. */
    private static Path cutFile(BackboneFiles files, String layer, String tensor) {
        Path p = Dirs.backbones().resolve("cuts").resolve(files.sha256().substring(0, 16) + "-" + layer + ".onnx");
        if (!Files.isRegularFile(p)) {
            OnnxFile cut = GraphEdits.cutAt(OnnxFile.read(files.onnx()), List.of(tensor));
            AtomicDirectory.writeFile(p, cut.model().toByteArray());
        }
        return p;
    }

    private BackboneScore score(BackboneSpec spec, BackboneFiles files, TextDataset data, int[] y) {
        int len = maxLength > 0 ? Math.min(maxLength, spec.maxLength()) : spec.maxLength();
        long t0 = System.nanoTime();
        float[][] f;
        try (FeatureExtractor fx = FeatureExtractor.of(spec, files, len, TextEncoder.DEFAULT_MAX_WINDOWS, true)) {
            f = fx.extract(data.texts(), progress);
        }
        long t1 = System.nanoTime();
        double logMe = LogMe.score(f, y);
        double h = HScore.shrinkage(f, y);
        double knn = KnnProxy.accuracy(f, y, 10);
        long t2 = System.nanoTime();
        return new BackboneScore(spec.id(), f.length, f[0].length, logMe, h, knn, (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000);
    }
}
