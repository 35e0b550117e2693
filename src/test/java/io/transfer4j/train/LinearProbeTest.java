package io.transfer4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import io.transfer4j.TestData;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Split;
import io.transfer4j.data.TextDataset;
import io.transfer4j.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The logistic probe on real features: the default backbone's vectors of the IMDB demo reviews. */
class LinearProbeTest {
    static float[][] train;
    static float[][] val;
    static float[][] test;
    static int[] trainY;
    static int[] valY;
    static int[] testY;

    @BeforeAll
    static void features() {
        Split<TextDataset> s = TestData.smallSplit();
        LabelMap map = s.train().labelMap();
        BackboneSpec spec = BackboneCatalogue.load().resolve(BackboneCatalogue.DEFAULT_ID);
        try (FeatureExtractor fx = FeatureExtractor.of(spec, BackboneLocator.standard().locate(spec), 128, 1, true)) {
            train = fx.extract(s.train().texts(), Progress.SILENT);
            val = fx.extract(s.validation().texts(), Progress.SILENT);
            test = fx.extract(s.test().texts(), Progress.SILENT);
        }
        trainY = s.train().labelIndices(map);
        valY = s.validation().labelIndices(map);
        testY = s.test().labelIndices(map);
    }

    /** [W | b] of a trained logistic head, as theta. */
    private static double[] theta(Block head) {
        float[] w = head.getParameters().valueAt(0).getArray().toFloatArray();
        float[] b = head.getParameters().valueAt(1).getArray().toFloatArray();
        double[] t = new double[w.length + b.length];
        for (int i = 0; i < w.length; i++) {
            t[i] = w[i];
        }
        for (int i = 0; i < b.length; i++) {
            t[w.length + i] = b[i];
        }
        return t;
    }

    @Test
    void theSolverBeatsTheTrainingLoopOnItsOwnObjective() {
        float l2 = 1e-2f;
        Standardizer std = Standardizer.fit(train);
        float[][] xs = std.apply(train);
        try (LinearProbe.Fitted exact = LinearProbe.logistic(42, new float[] {l2}).fit("exact", 2, train, trainY, val, valY, Progress.SILENT);
                LogisticObjective f = new LogisticObjective(xs, trainY, 2)) {
            HeadFitter.Fitted loop = new HeadFitter(Progress.SILENT).fit("loop", () -> HeadType.LOGISTIC.build(2, 0), new DenseRows(xs), trainY,
                    new DenseRows(std.apply(val)), valY, LinearProbe.defaultTraining(42).withL2(l2), new float[] {l2});
            try {
                double[] g = new double[f.parameters()];
                double exactValue = f.value(theta(exact.model().getBlock()), l2, g);
                double loopValue = f.value(theta(loop.model().getBlock()), l2, g);
                assertTrue(exactValue <= loopValue + 1e-6, "exact " + exactValue + " vs Adam " + loopValue);
                // the float32 copy of the optimum is still stationary
                f.value(theta(exact.model().getBlock()), l2, g);
                for (double v : g) {
                    assertTrue(Math.abs(v) < 1e-4, "gradient component " + v);
                }
                assertEquals(l2, exact.best().l2());
                assertEquals(exact.best().epochs(), exact.best().history().size());
            } finally {
                loop.model().close();
            }
        }
    }

    @Test
    void crossValidationChoosesAStrengthAndTheProbeTransfers() {
        try (LinearProbe.Fitted fit = LinearProbe.logistic(42).fit("probe", 2, train, trainY, val, valY, Progress.SILENT)) {
            // the choice is the best mean held-out accuracy of the grid's points, and not at the grid's edge
            double best = fit.fit().grid().stream().mapToDouble(FitResult::bestValidationAccuracy).max().orElseThrow();
            FitResult chosen = fit.fit().grid().stream().filter(r -> r.l2() == fit.best().l2()).findFirst().orElseThrow();
            assertEquals(best, chosen.bestValidationAccuracy());
            float[] grid = LinearProbe.DEFAULT_L2;
            assertTrue(chosen.l2() != grid[0] && chosen.l2() != grid[grid.length - 1], "chose " + chosen.l2());
            assertEquals(LinearProbe.DEFAULT_L2.length, fit.fit().grid().size());
            double acc = 0;
            int[] pred = Inference.argMax(fit.probabilities(test));
            for (int i = 0; i < pred.length; i++) {
                acc += pred[i] == testY[i] ? 1.0 / pred.length : 0;
            }
            assertTrue(acc > 0.8, "test accuracy " + acc);
            // validation rows are measured, not used: the same probe without them chooses the same strength
            try (LinearProbe.Fitted alone = LinearProbe.logistic(42).fit("probe", 2, train, trainY, Progress.SILENT)) {
                assertEquals(fit.best().l2(), alone.best().l2());
            }
        }
    }
}
