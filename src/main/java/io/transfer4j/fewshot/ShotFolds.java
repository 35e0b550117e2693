package io.transfer4j.fewshot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Held-out shots, the only validation a few-shot task has: each class's shots are shuffled (seeded)
 * and its j-th shot goes to fold {@code j mod k}, so every fold leaves out one shot of every class
 * ({@code k} = the fewest shots any class has, at most {@link #MAX_FOLDS}): leave-one-shot-out
 * when shots are few. With one shot per class nothing can be held out and there are no folds.
 */
public final class ShotFolds {
    public static final int MAX_FOLDS = 10;

    private final int[] fold;
    private final int k;

    private ShotFolds(int[] fold, int k) {
        this.fold = fold;
        this.k = k;
    }

    public static ShotFolds of(int[] y, int classes, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < y.length; i++) {
            byClass.get(y[i]).add(i);
        }
        int fewest = Integer.MAX_VALUE;
        for (List<Integer> rows : byClass) {
            fewest = Math.min(fewest, rows.size());
        }
        int k = Math.min(MAX_FOLDS, fewest);
        int[] fold = new int[y.length];
        Random rng = new Random(seed);
        for (List<Integer> rows : byClass) {
            Collections.shuffle(rows, rng);
            for (int j = 0; j < rows.size(); j++) {
                fold[rows.get(j)] = k > 0 ? j % k : 0;
            }
        }
        return new ShotFolds(fold, k < 2 ? 0 : k);
    }

    /** Folds; 0 when some class has a single shot (nothing can be held out). */
    public int count() {
        return k;
    }

    /**
     * How well a learner does on shots it did not see.
     *
     * @param smoothedLoss the log-loss against targets smoothed by {@link #SMOOTHING}: finite at its
     *     best temperature even when every held-out shot is right (plain log-loss would then drive
     *     the temperature to zero and every probability to 0 or 1)
     */
    public record Score(double accuracy, double logLoss, double smoothedLoss, int[] predictions, long millis) {}

    /** The share of each held-out target spread over all classes when a temperature is chosen. */
    static final double SMOOTHING = 0.1;

    /** {@code learner} fitted on all folds but one and scored on that one, for every fold. */
    public Score score(ShotLearner learner, float[][] x, int[] y, int classes) {
        if (k == 0) {
            throw new IllegalStateException("no folds: a class has a single shot");
        }
        long t0 = System.nanoTime();
        int[] pred = new int[y.length];
        double loss = 0;
        double smoothed = 0;
        int right = 0;
        for (int f = 0; f < k; f++) {
            List<Integer> in = new ArrayList<>();
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                (fold[i] == f ? out : in).add(i);
            }
            ShotHead head = learner.fit(rows(x, in), labels(y, in), classes, null);
            float[][] logits = head.logits(rows(x, out));
            for (int j = 0; j < out.size(); j++) {
                int i = out.get(j);
                double[] p = Prototypes.softmax(logits[j]);
                pred[i] = io.transfer4j.train.Inference.argMax(logits[j]);
                right += pred[i] == y[i] ? 1 : 0;
                loss -= Math.log(Math.max(p[y[i]], 1e-12));
                double all = 0;
                for (double pc : p) {
                    all += Math.log(Math.max(pc, 1e-12));
                }
                smoothed -= (1 - SMOOTHING) * Math.log(Math.max(p[y[i]], 1e-12)) + SMOOTHING * all / classes;
            }
        }
        return new Score((double) right / y.length, loss / y.length, smoothed / y.length, pred, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The prototypes' temperature of lowest smoothed held-out log-loss (the prediction does not
     * depend on it, the probabilities do); {@link Prototypes#DEFAULT_TEMPERATURE} when there are no folds.
     */
    public Prototypes temperature(Prototypes p, float[][] x, int[] y, int classes) {
        if (k == 0) {
            return p.withTemperature(Prototypes.DEFAULT_TEMPERATURE);
        }
        Prototypes best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (float t : Prototypes.TEMPERATURES) {
            Prototypes q = p.withTemperature(t).withRefinements(0);
            double loss = score(q, x, y, classes).smoothedLoss();
            if (loss < bestLoss) {
                bestLoss = loss;
                best = q;
            }
        }
        return best.withRefinements(p.refinements());
    }

    static float[][] rows(float[][] x, List<Integer> idx) {
        float[][] out = new float[idx.size()][];
        for (int j = 0; j < out.length; j++) {
            out[j] = x[idx.get(j)];
        }
        return out;
    }

    static int[] labels(int[] y, List<Integer> idx) {
        int[] out = new int[idx.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = y[idx.get(j)];
        }
        return out;
    }
}
