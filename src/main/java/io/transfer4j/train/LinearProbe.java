package io.transfer4j.train;

import ai.djl.Model;
import ai.djl.nn.Parameter;
import io.transfer4j.data.StratifiedSplitter;
import io.transfer4j.util.Progress;
import java.util.Arrays;
import java.util.List;

/**
 * The one linear probe of transfer4j: features standardised with the training rows' statistics and
 * a head ({@link HeadType}, logistic by default) per L2 strength of a grid. A logistic head is a
 * convex problem and is solved to its optimum, the strength chosen by 5-fold cross-validation on
 * the training rows ({@link ExactLogistic}); an MLP head is fitted through the training loop, the
 * strength chosen on the validation rows ({@link HeadFitter}). Text, image and audio runs, LP-FT's
 * first stage, few-shot probes and the ranker's probe accuracy all fit their probes here.
 *
 * @param head the head's type and, for an MLP, its hidden width
 * @param training an MLP's epochs, batch and learning rate; the seed of the folds and fits
 * @param l2Grid strengths tried (one value fixes it); null for the head's default
 */
public record LinearProbe(HeadType head, int hidden, TrainConfig training, float[] l2Grid) {
    /** Head training of a probe: Adam, up to 200 epochs of batch 64 at 0.01, patience 10. */
    public static TrainConfig defaultTraining(long seed) {
        return new TrainConfig(200, 64, 0.01f, 0, 10, seed);
    }

    /**
     * The logistic probe's strengths of {@code l2/2 |W|^2} on the mean loss: half-decades from 1e-6
     * to 10, which for 1,000-10,000 rows spans scikit-learn's C of 1e-4..1e4 (C = 1 / (l2 n)) where
     * standardised features need it.
     */
    public static final float[] DEFAULT_L2 = {1e-6f, 3e-6f, 1e-5f, 3e-5f, 1e-4f, 3e-4f, 1e-3f, 3e-3f, 1e-2f, 3e-2f, 1e-1f, 3e-1f, 1f,
        3f, 10f};

    /** An MLP head's strengths: each costs a training run, so a coarse grid. */
    public static final float[] MLP_L2 = {1e-3f, 1e-2f, 1e-1f, 1f};

    /** A logistic probe with the default training and L2 grid, seeded. */
    public static LinearProbe logistic(long seed) {
        return new LinearProbe(HeadType.LOGISTIC, 0, defaultTraining(seed), DEFAULT_L2);
    }

    /** A logistic probe with the default training, seeded, choosing from {@code l2Grid}. */
    public static LinearProbe logistic(long seed, float[] l2Grid) {
        return new LinearProbe(HeadType.LOGISTIC, 0, defaultTraining(seed), l2Grid);
    }

    public LinearProbe {
        l2Grid = l2Grid == null ? (head == HeadType.MLP ? MLP_L2 : DEFAULT_L2).clone() : l2Grid.clone();
        if (l2Grid.length == 0) {
            throw new IllegalArgumentException("the L2 grid is empty");
        }
    }

    /** A fitted probe: the standardisation, the chosen head (the caller closes it) and every grid point's run. */
    public record Fitted(Standardizer standardizer, HeadFitter.Fitted fit) implements AutoCloseable {
        public Model model() {
            return fit.model();
        }

        public FitResult best() {
            return fit.best();
        }

        public float[][] probabilities(float[][] features) {
            return Inference.probabilities(fit.model(), new DenseRows(standardizer.apply(features)));
        }

        /**
         * A logistic head's weights with the standardisation folded in, so that
         * {@code W x + b} on raw features equals the head on standardised ones: {W[k][d], b[k]}.
         */
        public float[][] folded() {
            if (standardizer.unitLength()) {
                throw new IllegalStateException("a unit-length standardisation is not linear and cannot be folded into the head");
            }
            Parameter w = fit.model().getBlock().getParameters().valueAt(0);
            Parameter b = fit.model().getBlock().getParameters().valueAt(1);
            float[] weights = w.getArray().toFloatArray();
            float[] bias = b.getArray().toFloatArray();
            int d = standardizer.mean().length;
            for (int c = 0; c < bias.length; c++) {
                double shift = 0;
                for (int j = 0; j < d; j++) {
                    weights[c * d + j] *= standardizer.scale()[j];
                    shift += weights[c * d + j] * standardizer.mean()[j];
                }
                bias[c] -= (float) shift;
            }
            return new float[][] {weights, bias};
        }

        @Override
        public void close() {
            fit.model().close();
        }
    }

    /**
     * The probe on labelled rows alone, when the caller keeps no validation rows of its own: a
     * logistic head chooses its strength by cross-validation on them all, an MLP on a stratified
     * 15% of them (seeded by the training config).
     */
    public Fitted fit(String name, int classes, float[][] features, int[] y, Progress progress) {
        if (head == HeadType.LOGISTIC) {
            Standardizer std = Standardizer.fit(features);
            return new Fitted(std, ExactLogistic.fit(name, classes, std.apply(features), y, null, null, l2Grid, training.seed(), progress));
        }
        List<String> labels = Arrays.stream(y).mapToObj(Integer::toString).toList();
        int[][] parts = new StratifiedSplitter(0.15, 0, training.seed()).indices(labels, name, "row");
        return fit(name, classes, pick(features, parts[0]), pick(y, parts[0]), pick(features, parts[1]), pick(y, parts[1]), progress);
    }

    private static float[][] pick(float[][] f, int[] rows) {
        return Arrays.stream(rows).mapToObj(i -> f[i]).toArray(float[][]::new);
    }

    private static int[] pick(int[] y, int[] rows) {
        return Arrays.stream(rows).map(i -> y[i]).toArray();
    }

    public Fitted fit(String name, int classes, float[][] trainF, int[] trainY, float[][] valF, int[] valY, Progress progress) {
        return fit(name, classes, Standardizer.fit(trainF), trainF, trainY, valF, valY, progress);
    }

    /** The probe on features prepared by {@code std} (e.g. unit length for a few-shot probe) instead of statistics fitted here. */
    public Fitted fit(String name, int classes, Standardizer std, float[][] trainF, int[] trainY, float[][] valF, int[] valY,
            Progress progress) {
        if (head == HeadType.LOGISTIC) {
            return new Fitted(std, ExactLogistic.fit(name, classes, std.apply(trainF), trainY, std.apply(valF), valY, l2Grid,
                    training.seed(), progress));
        }
        HeadFitter.Fitted fit = new HeadFitter(progress).fit(name, () -> head.build(classes, hidden), new DenseRows(std.apply(trainF)),
                trainY, new DenseRows(std.apply(valF)), valY, training, l2Grid);
        return new Fitted(std, fit);
    }
}
