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
import java.util.ArrayList;
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

    public List<BackboneScore> rank(TextDataset data, List<String> backbones) {
        data.requireTrainable();
        LabelMap labels = data.labelMap();
        int[] y = data.labelIndices(labels);
        List<BackboneScore> out = new ArrayList<>();
        for (String id : backbones) {
            BackboneSpec spec = catalogue.resolve(id);
            BackboneFiles files = BackboneLocator.standard().locate(spec);
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
            out.add(new BackboneScore(spec.id(), f.length, f[0].length, logMe, h, knn, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000));
        }
        out.sort(Comparator.comparingDouble(BackboneScore::logMe).reversed());
        return out;
    }
}
