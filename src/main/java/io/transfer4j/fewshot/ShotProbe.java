package io.transfer4j.fewshot;

import ai.djl.nn.Parameter;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.train.Standardizer;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Progress;

/**
 * Logistic regression on the shots, through the one linear probe (and so the one training loop),
 * at a fixed L2 strength. Rows are scaled to unit length times {@code sqrt(width)} instead of
 * standardised: per-feature means and variances from a handful of rows are noise, while unit-length
 * features are what few-shot work finds best for a logistic head (Tian et al., 2020). No rows are
 * left for validation, so the shots themselves are: the loop then keeps the epoch of lowest
 * regularised training loss.
 */
public record ShotProbe(float l2, TrainConfig training) implements ShotLearner {
    @Override
    public String id() {
        return "probe";
    }

    @Override
    public ShotHead fit(float[][] x, int[] y, int classes, float[][] unlabelled) {
        int d = x[0].length;
        Standardizer std = Standardizer.unitLength(d, (float) Math.sqrt(d));
        LinearProbe probe = new LinearProbe(HeadType.LOGISTIC, 0, training, new float[] {l2});
        try (LinearProbe.Fitted f = probe.fit("few-shot probe", classes, std, x, y, x, y, Progress.SILENT)) {
            Parameter w = f.model().getBlock().getParameters().valueAt(0);
            Parameter b = f.model().getBlock().getParameters().valueAt(1);
            float[] flat = w.getArray().toFloatArray();
            float[][] weight = new float[classes][d];
            for (int c = 0; c < classes; c++) {
                System.arraycopy(flat, c * d, weight[c], 0, d);
            }
            return new ShotHead(std, weight, b.getArray().toFloatArray());
        }
    }
}
