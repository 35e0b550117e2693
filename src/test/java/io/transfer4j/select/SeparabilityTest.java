package io.transfer4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The low-transferability warning fires on features unrelated to the labels, and only then. */
class SeparabilityTest {
    private static float[][] features(int[] y, double signal) {
        Random r = new Random(5);
        float[][] x = new float[y.length][16];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2;
            for (int d = 0; d < 16; d++) {
                x[i][d] = (float) (r.nextGaussian() + (d == 0 ? signal * (2 * y[i] - 1) : 0));
            }
        }
        return x;
    }

    @Test
    void unrelatedFeaturesWarnSeparableOnesDoNot() {
        int[] y = new int[800];
        var noise = Separability.warning("noise", features(y, 0), y, "texts");
        assertEquals(1, noise.size());
        assertTrue(noise.get(0).startsWith("low transferability: noise's frozen features"), noise.get(0));
        assertTrue(Separability.warning("good", features(y, 3), y, "texts").isEmpty());
    }
}
