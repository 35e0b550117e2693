package io.transfer4j.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The domain losses against hand-computed values and their defining properties. */
class DomainLossesTest {
    private static NDArray gaussian(NDManager m, int n, int d, float shift, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() + shift;
        }
        return m.create(v, new Shape(n, d));
    }

    @Test
    void coralAndMmdGrowWithTheShiftBetweenDomains() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray s = gaussian(m, 64, 8, 0, 1);
            NDArray same = gaussian(m, 64, 8, 0, 2);
            NDArray shifted = gaussian(m, 64, 8, 1.5f, 3);
            assertEquals(0, DomainLosses.coral(s, s).getFloat(), 1e-6, "no distance from a domain to itself");
            assertTrue(DomainLosses.coral(s, shifted).getFloat() > 5 * DomainLosses.coral(s, same).getFloat());
            assertEquals(0, DomainLosses.mkMmd(m, s, s).getFloat(), 1e-5);
            float near = DomainLosses.mkMmd(m, s, same).getFloat();
            float far = DomainLosses.mkMmd(m, s, shifted).getFloat();
            assertTrue(far > 5 * near && near >= -1e-6, "MMD^2 " + near + " (same distribution) vs " + far + " (shifted)");
        }
    }

    @Test
    void coralMatchesItsDefinition() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // source rows (0,0), (2,2): mean (1,1), covariance [[2,2],[2,2]]; target (0,0), (0,0): mean 0, covariance 0
            NDArray s = m.create(new float[] {0, 0, 2, 2}, new Shape(2, 2));
            NDArray t = m.create(new float[] {0, 0, 0, 0}, new Shape(2, 2));
            assertEquals(1 + 4, DomainLosses.coral(s, t).getFloat(), 1e-6, "mean((1,1)^2) + mean(2^2 each)");
        }
    }

    @Test
    void gradientReversalIsTheIdentityForwardAndMinusLambdaBackward() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1, -2, 3});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = DomainLosses.reverseGradient(x, 0.3f);
                assertEquals(3, y.toFloatArray()[2], 1e-6);
                gc.backward(y.sum());
            }
            for (float g : x.getGradient().toFloatArray()) {
                assertEquals(-0.3f, g, 1e-6);
            }
        }
        assertEquals(0, DomainLosses.reversalSchedule(0), 1e-6);
        assertEquals(2 / (1 + Math.exp(-5)) - 1, DomainLosses.reversalSchedule(0.5), 1e-6);
    }

    @Test
    void domainLossIsTheBinaryCrossEntropyAveragedPerDomain() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // two source rows (is-source 1), one target row (0)
            NDArray d = m.create(new float[] {2, -1, 0.5f}, new Shape(3, 1));
            double bce1 = Math.log(1 + Math.exp(-2));
            double bce2 = Math.log(1 + Math.exp(1));
            double bce3 = Math.log(1 + Math.exp(0.5));
            assertEquals(0.5 * (bce1 + bce2) / 2 + 0.5 * bce3, DomainLosses.domainLoss(m, d, 2, null).getFloat(), 1e-5);
        }
    }

    @Test
    void pseudoLabelsCountOnlyConfidentRows() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // row 0 confident for class 1 (p ~ 0.99), row 1 unsure (p = 0.5)
            NDArray weak = m.create(new float[] {0, 5, 0, 0}, new Shape(2, 2));
            NDArray strong = m.create(new float[] {0, 0, 3, 0}, new Shape(2, 2));
            double ce = Math.log(2); // row 0's strong logits give class 1 probability 1/2
            assertEquals(ce / 2, DomainLosses.pseudoLabelLoss(weak, strong, 0.9f).getFloat(), 1e-5, "row 1 is masked out");
        }
    }

    @Test
    void cdanConditionsFeaturesOnPredictions() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray f = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray g = m.create(new float[] {0.25f, 0.75f}, new Shape(1, 2));
            float[] h = DomainLosses.multilinear(f, g, null, null).toFloatArray();
            assertEquals(6, h.length);
            assertEquals(0.25f * 3, h[2], 1e-6);
            assertEquals(0.75f * 1, h[3], 1e-6);
            NDArray w = DomainLosses.entropyWeights(m.create(new float[] {0.99f, 0.01f, 0.5f, 0.5f}, new Shape(2, 2)), 1);
            assertEquals(1, w.toFloatArray()[0], 1e-6, "each domain's weights average 1");
        }
    }

    @Test
    void deepEmbeddedValidationReducesToTheSourceLossUnderNoShift() {
        double[] w = {1, 1, 1, 1};
        double[] loss = {0.1, 0.2, 0.3, 0.4};
        DeepEmbeddedValidation d = DeepEmbeddedValidation.of(w, loss);
        assertEquals(0.25, d.risk(), 1e-12);
        assertEquals(0.25, d.sourceRisk(), 1e-12);
        // weights that favour the high-loss rows raise the estimate above the source loss
        DeepEmbeddedValidation shifted = DeepEmbeddedValidation.of(new double[] {0.2, 0.4, 1.4, 2.0}, loss);
        assertTrue(shifted.weightedRisk() > d.sourceRisk());
    }
}
