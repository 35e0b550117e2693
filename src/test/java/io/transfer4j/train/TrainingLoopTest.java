package io.transfer4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
    /** Two Gaussian blobs in 8 dimensions, 1.5 standard deviations apart along the first axis. */
    private static float[][] blobs(int n, int[] y, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][8];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int d = 0; d < 8; d++) {
                x[i][d] = (float) r.nextGaussian();
            }
            x[i][0] += y[i] == 1 ? 1.5f : -1.5f;
        }
        return x;
    }

    private static final TrainConfig CFG = new TrainConfig(100, 32, 0.05f, 0, 8, 3);

    @Test
    void logisticHeadLearnsSeparableDataAndKeepsTheBestEpoch() {
        int[] y = new int[400];
        int[] vy = new int[200];
        float[][] x = blobs(400, y, 1);
        float[][] vx = blobs(200, vy, 2);
        HeadFitter.Fitted f = new HeadFitter(Progress.SILENT).fit("t", () -> HeadType.LOGISTIC.build(2, 0),
                new DenseRows(x), y, new DenseRows(vx), vy, CFG, new float[] {1e-3f});
        try (var m = f.model()) {
            double[] lossAcc = Inference.lossAndAccuracy(m, new DenseRows(vx), vy);
            // Bayes accuracy for this separation is about 93%.
            assertTrue(lossAcc[1] > 0.88, "validation accuracy " + lossAcc[1]);
            // The weights left in the model are those of the reported best epoch.
            assertEquals(f.best().bestValidationLoss(), lossAcc[0], 1e-5);
            assertTrue(f.best().bestEpoch() <= f.best().epochs());
        }
    }

    @Test
    void strongL2ShrinksWeightsTowardsZero() {
        int[] y = new int[200];
        int[] vy = new int[100];
        float[][] x = blobs(200, y, 4);
        float[][] vx = blobs(100, vy, 5);
        double free = weightNorm(x, y, vx, vy, 0f);
        double shrunk = weightNorm(x, y, vx, vy, 5f);
        assertTrue(shrunk < free / 2, "L2 should shrink the weights: " + free + " vs " + shrunk);
    }

    private static double weightNorm(float[][] x, int[] y, float[][] vx, int[] vy, float l2) {
        HeadFitter.Fitted f = new HeadFitter(Progress.SILENT).fit("t", () -> HeadType.LOGISTIC.build(2, 0),
                new DenseRows(x), y, new DenseRows(vx), vy, CFG, new float[] {l2});
        try (var m = f.model()) {
            double s = 0;
            for (var p : m.getBlock().getParameters().values()) {
                if (p.getType() == Parameter.Type.WEIGHT) {
                    for (float v : p.getArray().toFloatArray()) {
                        s += v * v;
                    }
                }
            }
            return Math.sqrt(s);
        }
    }

    @Test
    void aRareNonFiniteStepIsSkippedAndCountedWithoutTouchingTheWeights() {
        int[] y = new int[64];
        int[] vy = new int[64];
        float[][] x = blobs(64, y, 6);
        float[][] vx = blobs(64, vy, 7);
        x[3][2] = Float.NaN; // one training batch per epoch gives a NaN loss
        HeadFitter.Fitted f = new HeadFitter(Progress.SILENT).fit("t", () -> HeadType.LOGISTIC.build(2, 0),
                new DenseRows(x), y, new DenseRows(vx), vy, new TrainConfig(5, 8, 0.05f, 0, 5, 3), new float[] {0f});
        try (var m = f.model()) {
            assertEquals(5, f.best().skippedUpdates(), "one skipped update per epoch");
            for (var p : m.getBlock().getParameters().values()) {
                for (float v : p.getArray().toFloatArray()) {
                    assertTrue(Float.isFinite(v), "weights stay finite");
                }
            }
            assertTrue(f.best().bestValidationAccuracy() > 0.8, "the clean batches still train");
        }
    }

    @Test
    void nanFeaturesStopTrainingWithAnActionableError() {
        int[] y = new int[64];
        float[][] x = blobs(64, y, 6);
        x[3][2] = Float.NaN;
        UserException e = assertThrows(UserException.class, () -> new HeadFitter(Progress.SILENT).fit("t",
                () -> HeadType.LOGISTIC.build(2, 0), new DenseRows(x), y, new DenseRows(x), y, CFG, new float[] {0f}));
        assertTrue(e.getMessage().contains("training loss became NaN"), e.getMessage());
    }

    @Test
    void mlpHeadAlsoTrains() {
        int[] y = new int[300];
        int[] vy = new int[100];
        float[][] x = blobs(300, y, 7);
        float[][] vx = blobs(100, vy, 8);
        HeadFitter.Fitted f = new HeadFitter(Progress.SILENT).fit("t", () -> HeadType.MLP.build(2, 32),
                new DenseRows(x), y, new DenseRows(vx), vy, CFG, new float[] {1e-3f});
        try (var m = f.model()) {
            assertTrue(f.best().bestValidationAccuracy() > 0.85, String.valueOf(f.best().bestValidationAccuracy()));
        }
    }

    @Test
    void theBestEpochIsChosenByLossOrByAccuracyWithTiesToTheLowerLoss() {
        TrainConfig byLoss = CFG;
        TrainConfig byAcc = CFG.toBuilder().selectBy(TrainConfig.Selection.ACCURACY).build();
        // IMDB lp-ft seed 43: epoch 1 val loss 0.452 acc 0.780, epoch 2 loss 0.460 acc 0.870
        assertFalse(byLoss.improves(0.460, 0.870, 0.452, 0.780));
        assertTrue(byAcc.improves(0.460, 0.870, 0.452, 0.780));
        assertTrue(byAcc.improves(0.400, 0.780, 0.452, 0.780), "a tie in accuracy goes to the lower loss");
        assertFalse(byAcc.improves(0.300, 0.770, 0.452, 0.780));
        assertTrue(byAcc.improves(0.9, 0.0, Double.POSITIVE_INFINITY, 0), "the first epoch always counts");
        assertEquals(TrainConfig.Selection.ACCURACY, TrainConfig.Selection.parse("Accuracy"));
    }
}
