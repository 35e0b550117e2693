package io.transfer4j.fewshot;

import io.transfer4j.data.LabelMap;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Runs seeded few-shot episodes over rows whose features are already read: per episode,
 * {@code ways} classes drawn among those with enough rows, then {@code shots + queries} distinct
 * rows of each; the method adapts on the support rows and is scored on the queries. The draws
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
            List<List<Integer>> byClass = eligible(y, labels, shots + spec.queries());
            if (usedClasses == null || byClass.size() < usedClasses.size()) {
                usedClasses = new ArrayList<>();
                for (List<Integer> rows : byClass) {
                    usedClasses.add(labels.name(y[rows.get(0)]));
                }
            }
            double[] acc = new double[spec.episodes()];
            double[] millis = new double[spec.episodes()];
            TreeMap<String, Integer> chosen = new TreeMap<>();
            try (Progress.Task task = progress.start(method + " " + spec.ways() + "-way " + shots + "-shot", spec.episodes(), "episodes")) {
                for (int e = 0; e < spec.episodes(); e++) {
                    Random rng = new Random(seed * 1_000_003L + shots * 7_919L + e);
                    List<List<Integer>> classes = new ArrayList<>(byClass);
                    Collections.shuffle(classes, rng);
                    int n = spec.ways();
                    float[][] sx = new float[n * shots][];
                    int[] sy = new int[n * shots];
                    float[][] qx = new float[n * spec.queries()][];
                    int[] qy = new int[n * spec.queries()];
                    for (int c = 0; c < n; c++) {
                        List<Integer> rows = new ArrayList<>(classes.get(c));
                        Collections.shuffle(rows, rng);
                        for (int j = 0; j < shots; j++) {
                            sx[c * shots + j] = x[rows.get(j)];
                            sy[c * shots + j] = c;
                        }
                        for (int j = 0; j < spec.queries(); j++) {
                            qx[c * spec.queries() + j] = x[rows.get(shots + j)];
                            qy[c * spec.queries() + j] = c;
                        }
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

    /** Each class's rows, for the classes with at least {@code need} rows; too few such classes is the user's to fix. */
    private List<List<Integer>> eligible(int[] y, LabelMap labels, int need) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < y.length; i++) {
            byClass.get(y[i]).add(i);
        }
        List<List<Integer>> out = new ArrayList<>();
        for (List<Integer> rows : byClass) {
            if (rows.size() >= need) {
                out.add(rows);
            }
        }
        if (out.size() < spec.ways()) {
            throw new UserException(spec.ways() + "-way episodes need " + spec.ways() + " classes with at least " + need
                    + " rows each (shots + queries); the data has " + out.size() + " such of " + labels.size()
                    + " classes: lower --ways, --shots or --queries, or give more rows");
        }
        return out;
    }
}
