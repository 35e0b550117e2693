package io.transfer4j.spark;

import io.transfer4j.train.Standardizer;
import io.transfer4j.util.UserException;
import java.io.Serializable;
import java.util.List;

/**
 * A linear classifier on frozen features, {@code softmax(W·std(x) + b)}: what every transfer head
 * fitted on Spark is, whichever trainer fitted it. Plain arrays and plain Java arithmetic, so it
 * serialises into Spark's closures and runs on executors without native memory; it is the same
 * function as a linear-probe bundle's head, which is how models move between Spark and bundles.
 *
 * @param labels class names, in the order of {@code weight}'s rows
 * @param mean per-feature centre ({@link Standardizer})
 * @param scale per-feature scale
 * @param unitLength whether rows are first scaled to unit length
 * @param weight [classes][width]
 * @param bias [classes]
 * @param l2 the L2 strength its trainer chose on the validation rows
 * @param validationAccuracy accuracy on those rows (NaN when unknown)
 */
public record LinearHead(List<String> labels, float[] mean, float[] scale, boolean unitLength, float[][] weight, float[] bias,
        float l2, double validationAccuracy) implements Serializable {
    private static final long serialVersionUID = 1L;

    public LinearHead {
        labels = List.copyOf(labels);
        if (labels.size() != weight.length || labels.size() != bias.length) {
            throw new IllegalArgumentException(labels.size() + " labels but " + weight.length + " weight rows and " + bias.length + " biases");
        }
        for (float[] w : weight) {
            if (w.length != mean.length || w.length != scale.length) {
                throw new IllegalArgumentException("weight rows of " + w.length + " but a standardiser of " + mean.length);
            }
        }
    }

    public static LinearHead of(List<String> labels, Standardizer std, float[][] weight, float[] bias, float l2,
            double validationAccuracy) {
        return new LinearHead(labels, std.mean(), std.scale(), std.unitLength(), weight, bias, l2, validationAccuracy);
    }

    /** The weights of a trained logistic head (DJL's block, as the probe fits and bundles store it), with its standardisation. */
    public static LinearHead of(List<String> labels, Standardizer std, ai.djl.Model logistic, float l2, double validationAccuracy) {
        var params = logistic.getBlock().getParameters();
        float[] w = params.valueAt(0).getArray().toFloatArray();
        float[] b = params.valueAt(1).getArray().toFloatArray();
        int width = std.mean().length;
        float[][] weight = new float[b.length][];
        for (int c = 0; c < b.length; c++) {
            weight[c] = java.util.Arrays.copyOfRange(w, c * width, (c + 1) * width);
        }
        return of(labels, std, weight, b, l2, validationAccuracy);
    }

    /** The head as the probe's logistic block of a bundle (DJL), holding these weights; the caller closes it. */
    public ai.djl.Model toModel() {
        return new io.transfer4j.fewshot.ShotHead(standardizer(), weight, bias).toModel();
    }

    public Standardizer standardizer() {
        return new Standardizer(mean, scale, unitLength);
    }

    public int width() {
        return mean.length;
    }

    public int classes() {
        return bias.length;
    }

    /** Class probabilities of one feature row; fails with a one-line error on a row of the wrong width. */
    public double[] probabilities(double[] x) {
        if (x.length != width()) {
            throw new UserException("a feature vector has " + x.length + " values but the head reads " + width()
                    + "; embed the rows with the backbone the model was trained on");
        }
        double inv = 1;
        if (unitLength) {
            double s = 0;
            for (double v : x) {
                s += v * v;
            }
            inv = s > 0 ? 1 / Math.sqrt(s) : 1;
        }
        double[] z = new double[classes()];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < z.length; c++) {
            double s = bias[c];
            float[] w = weight[c];
            for (int d = 0; d < w.length; d++) {
                s += w[d] * ((x[d] * inv - mean[d]) * scale[d]);
            }
            z[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
        return z;
    }

    /** Index of the largest value (the first on a tie, as the CLI's argmax). */
    public static int argMax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
