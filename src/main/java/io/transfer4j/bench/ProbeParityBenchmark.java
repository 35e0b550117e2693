package io.transfer4j.bench;

import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.TextDataset;
import io.transfer4j.eval.Metrics;
import io.transfer4j.train.Inference;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The product's linear probe on one backbone's frozen features of a fixed train/test pair, timed,
 * with the very features written as .npy files so that a reference (scikit-learn's
 * LogisticRegression in scripts/bench-probe.sh) fits on the same numbers.
 */
public final class ProbeParityBenchmark {
    private ProbeParityBenchmark() {}

    /**
     * @param l2 the chosen L2 strength (of the mean cross-entropy + l2/2 |W|^2)
     * @param fitMillis the probe's fit alone (standardisation, choosing the strength, the final fit)
     */
    public record Result(String backbone, int train, int test, int width, int classes, double accuracy, float l2, long fitMillis,
            long extractMillis) {}

    /** @param dump folder for {train,test}_{x,y}.npy, or null */
    public static Result run(BackboneSpec spec, BackboneFiles files, int maxLength, TextDataset train, TextDataset test, long seed,
            Path dump, Progress progress) {
        LabelMap map = train.labelMap();
        int[] trainY = train.labelIndices(map);
        int[] testY = test.labelIndices(map);
        List<String> texts = new ArrayList<>(train.texts());
        texts.addAll(test.texts());
        long t0 = System.nanoTime();
        float[][] all;
        try (FeatureExtractor fx = new FeatureExtractor(spec, files, maxLength, TextEncoder.DEFAULT_MAX_WINDOWS, 32, Dirs.embeddings())) {
            all = fx.extract(texts, progress);
        }
        long extractMillis = (System.nanoTime() - t0) / 1_000_000;
        float[][] trainF = Arrays.copyOf(all, train.size());
        float[][] testF = Arrays.copyOfRange(all, train.size(), all.length);
        if (dump != null) {
            Npy.write(dump.resolve("train_x.npy"), trainF);
            Npy.write(dump.resolve("train_y.npy"), trainY);
            Npy.write(dump.resolve("test_x.npy"), testF);
            Npy.write(dump.resolve("test_y.npy"), testY);
        }
        long t1 = System.nanoTime();
        try (LinearProbe.Fitted fit = LinearProbe.logistic(seed).fit("probe", map.size(), trainF, trainY, progress)) {
            long fitMillis = (System.nanoTime() - t1) / 1_000_000;
            double acc = Metrics.compute(testY, Inference.argMax(fit.probabilities(testF)), map).accuracy();
            return new Result(spec.id(), train.size(), test.size(), trainF[0].length, map.size(), acc, fit.best().l2(), fitMillis,
                    extractMillis);
        }
    }
}
