package io.transfer4j.fewshot;

import io.transfer4j.data.LabelMap;
import io.transfer4j.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Runs seeded few-shot episodes over rows whose features are already read: per episode,
 * {@code ways} classes drawn among those with enough rows, then {@code shots + queries} distinct
 * rows of each ({@link io.transfer4j.train.EpisodeSampler}, as meta-training draws them); the method adapts on the support rows and is scored on the queries. The draws
 * depend only on the seed, the shot count and the episode number, so two methods evaluated with
 * the same seed see the same episodes.
 */
final class Episodes {
    /** One episode's adaptation: which method it used and the head it made. */
    record Adapted(String method, ShotHead head) {}

    /** How to adapt to one episode: support features and labels in [0, ways), queries for transduction. */
    @FunctionalInterface
    interface Adapter {
        Adapted adapt(float[][] x, int[] y, int classes, float[][] queries, boolean transductive);
    }

    private final EpisodeSpec spec;
    private final long seed;
    private final Progress progress;

    Episodes(EpisodeSpec spec, long seed, Progress progress) {
        this.spec = spec;
        this.seed = seed;
        this.progress = progress;
    }

    EpisodeResult run(float[][] x, int[] y, LabelMap labels, Adapter adapter, String method, String source, long featureMillis) {
        List<EpisodeResult.PerShots> results = new ArrayList<>();
        List<String> usedClasses = null;
        for (int shots : spec.shots()) {
            io.transfer4j.train.EpisodeSampler sampler = new io.transfer4j.train.EpisodeSampler(y, labels.size(), spec.ways(), shots,
                    spec.queries(), "the data");
            int[] eligible = sampler.eligibleClasses(y);
            if (usedClasses == null || eligible.length < usedClasses.size()) {
                usedClasses = new ArrayList<>();
                for (int c : eligible) {
                    usedClasses.add(labels.name(c));
                }
            }
            double[] acc = new double[spec.episodes()];
            double[] millis = new double[spec.episodes()];
            TreeMap<String, Integer> chosen = new TreeMap<>();
            try (Progress.Task task = progress.start(method + " " + spec.ways() + "-way " + shots + "-shot", spec.episodes(), "episodes")) {
                for (int e = 0; e < spec.episodes(); e++) {
                    int[] rows = sampler.draw(seed * 1_000_003L + shots * 7_919L + e);
                    int n = spec.ways();
                    int support = n * shots;
                    float[][] sx = new float[support][];
                    int[] sy = new int[support];
                    float[][] qx = new float[rows.length - support][];
                    int[] qy = new int[qx.length];
                    for (int i = 0; i < support; i++) {
                        sx[i] = x[rows[i]];
                        sy[i] = i / shots;
                    }
                    for (int i = 0; i < qx.length; i++) {
                        qx[i] = x[rows[support + i]];
                        qy[i] = i / spec.queries();
                    }
                    long t0 = System.nanoTime();
                    Adapted a = adapter.adapt(sx, sy, n, qx, spec.transductive());
                    millis[e] = (System.nanoTime() - t0) / 1e6;
                    int[] pred = a.head().predict(qx);
                    int right = 0;
                    for (int i = 0; i < pred.length; i++) {
                        right += pred[i] == qy[i] ? 1 : 0;
                    }
                    acc[e] = (double) right / pred.length;
                    chosen.merge(a.method(), 1, Integer::sum);
                    task.step(1);
                }
            }
            double mean = 0;
            for (double a : acc) {
                mean += a;
            }
            mean /= acc.length;
            double var = 0;
            for (double a : acc) {
                var += (a - mean) * (a - mean);
            }
            double sd = acc.length > 1 ? Math.sqrt(var / (acc.length - 1)) : 0;
            results.add(new EpisodeResult.PerShots(shots, mean, 1.96 * sd / Math.sqrt(acc.length), sd, io.transfer4j.util.Stats.median(millis),
                    chosen));
        }
        return new EpisodeResult(method, source, spec.ways(), spec.queries(), spec.episodes(),
                spec.transductive(), seed, usedClasses, featureMillis, results);
    }
}
