package io.transfer4j.selfsup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** NT-Xent against a hand-computed value, its invariances, and the direction of its gradient. */
class NtXentTest {
    @Test
    void matchesItsDefinitionOnAHandComputedBatch() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // two images, views (1,0),(0,1) then (1,0),(0,1): each row's twin has cosine 1, the other two 0;
            // at temperature 1 every row's loss is -log(e / (e + 1 + 1))
            NDArray z = m.create(new float[] {1, 0, 0, 1, 1, 0, 0, 1}, new Shape(4, 2));
            double expected = Math.log(2 + Math.E) - 1;
            assertEquals(expected, NtXent.loss(m, z, 1f).getFloat(), 1e-5);
            double[] lh = NtXent.lossAndHits(m, z, 1f);
            assertEquals(4 * expected, lh[0], 1e-4, "summed over the 4 rows");
            assertEquals(4, lh[1], "every row's nearest other row is its twin");
            // temperature 0.5 doubles the logits: -log(e^2 / (e^2 + 2))
            assertEquals(Math.log(Math.exp(2) + 2) - 2, NtXent.loss(m, z, 0.5f).getFloat(), 1e-5);
        }
    }

    @Test
    void dependsOnlyOnDirectionsAndFallsAsTwinsAlign() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Random r = new Random(3);
            int n = 16;
            int d = 8;
            float[] a = new float[n * d];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
            float[] noisy = new float[2 * n * d];
            float[] random = new float[2 * n * d];
            for (int i = 0; i < n * d; i++) {
                noisy[i] = a[i];
                noisy[n * d + i] = a[i] + 0.1f * (float) r.nextGaussian();
                random[i] = a[i];
                random[n * d + i] = (float) r.nextGaussian();
            }
            NDArray close = m.create(noisy, new Shape(2 * n, d));
            float aligned = NtXent.loss(m, close, 0.5f).getFloat();
            assertEquals(aligned, NtXent.loss(m, close.mul(7), 0.5f).getFloat(), 1e-4, "cosine similarity: scale does not matter");
            float unrelated = NtXent.loss(m, m.create(random, new Shape(2 * n, d)), 0.5f).getFloat();
            assertTrue(aligned < unrelated - 1, "twins alike " + aligned + " vs twins unrelated " + unrelated);
            assertTrue(Math.abs(unrelated - Math.log(2 * n - 1)) < 1.5, "unrelated views are near chance, log(2n-1): " + unrelated);
            assertEquals(2 * n, NtXent.lossAndHits(m, close, 0.5f)[1], "each noisy view finds its twin");
        }
    }

    @Test
    void aGradientStepPullsTwinsTogether() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray z = m.create(new float[] {1, 0.2f, 0.1f, 1, 0.6f, 0.8f, 0.9f, 0.3f}, new Shape(4, 2));
            z.setRequiresGradient(true);
            float before;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = NtXent.loss(m, z, 0.5f);
                before = l.getFloat();
                gc.backward(l);
            }
            NDArray moved = z.sub(z.getGradient().mul(0.1f));
            assertTrue(NtXent.loss(m, moved, 0.5f).getFloat() < before, "a small step against the gradient lowers the loss");
        }
    }

    @Test
    void refusesABatchWithoutTwins() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            assertThrows(IllegalArgumentException.class, () -> NtXent.loss(m, m.ones(new Shape(3, 2)), 0.5f));
        }
    }
}
