package io.transfer4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each score against a reference value computed on the same numbers with the papers' published
 * NumPy code (LogME's official implementation, TLlib's h_score and regularized_h_score with
 * scikit-learn 1.2's LedoitWolf, TLlib-style LEEP and NCE).
 */
class ScoresTest {
    static final float[][] F12 = {{1.789f, 0.437f, 0.096f, -1.863f}, {-0.277f, -0.355f, -0.083f, -0.627f},
        {-0.044f, -0.477f, -1.314f, 0.885f}, {1.881f, 2.71f, 1.05f, 0.595f}, {0.455f, -0.546f, 1.982f, -0.101f},
        {-0.185f, 0.794f, 2.486f, 1.237f}, {-2.024f, -0.713f, 0.625f, -0.161f}, {-1.769f, -0.23f, 0.745f, 1.976f},
        {-2.244f, -0.626f, -0.804f, -2.419f}, {-0.924f, -1.024f, 1.124f, -0.132f}, {-0.623f, 1.647f, 0.644f, -0.743f},
        {-1.597f, -0.589f, -0.874f, 0.03f}};
    static final int[] Y12 = {0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 1, 2};

    static final float[][] F30 = {{3.19f, -0.47f, 0.03f}, {0.41f, 0.71f, 0.0f}, {-0.0f, -1.75f, 2.52f}, {2.1f, -0.63f, -0.17f},
        {0.51f, 1.24f, -0.24f}, {-1.45f, 0.55f, 1.62f}, {1.77f, -1.53f, 1.65f}, {0.15f, 1.11f, 2.03f}, {-0.05f, -1.45f, 1.09f},
        {-0.79f, 1.05f, -0.42f}, {-0.74f, 2.57f, -1.65f}, {0.54f, -2.06f, 0.84f}, {0.3f, 1.46f, 1.77f}, {-0.33f, 2.34f, -0.18f},
        {0.57f, -0.75f, -0.21f}, {-0.3f, 0.38f, 2.25f}, {0.27f, 0.98f, 1.91f}, {0.24f, 0.1f, 1.75f}, {1.37f, -0.31f, -1.43f},
        {0.5f, 1.41f, 1.19f}, {-0.37f, -1.91f, 1.4f}, {3.2f, -0.38f, -0.89f}, {-1.19f, 0.45f, -0.3f}, {-1.18f, 1.5f, 1.22f},
        {1.61f, 1.44f, 1.5f}, {-0.21f, 1.83f, 0.74f}, {-0.19f, -1.78f, 2.15f}, {2.39f, 0.42f, -0.92f}, {-0.2f, 0.91f, -0.3f},
        {1.3f, 1.53f, 2.17f}};
    static final int[] Y30 = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};

    @Test
    void logMeMatchesTheOfficialImplementation() {
        assertEquals(-0.7532104940351892, LogMe.score(F12, Y12), 1e-6);
    }

    @Test
    void hScoreAndItsShrinkageFormMatchTheReference() {
        assertEquals(1.3204490162607716, HScore.score(F12, Y12), 1e-6);
        assertEquals(0.07928590004242769, HScore.shrinkage(F30, Y30), 1e-6);
    }

    @Test
    void leepAndNceMatchTheReference() {
        double[][] theta = {{0.7, 0.2, 0.1}, {0.6, 0.3, 0.1}, {0.5, 0.25, 0.25}, {0.1, 0.8, 0.1}, {0.2, 0.6, 0.2},
            {0.3, 0.5, 0.2}, {0.1, 0.1, 0.8}, {0.2, 0.2, 0.6}, {0.15, 0.15, 0.7}, {0.4, 0.4, 0.2}, {0.3, 0.3, 0.4},
            {0.45, 0.1, 0.45}};
        assertEquals(-0.8530527983588505, SourceScores.leep(theta, Y12), 1e-9);
        int[] z = {0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 2, 0};
        assertEquals(-0.39594605801384763, SourceScores.nce(z, Y12), 1e-9);
        // a source model that predicts the target exactly: no uncertainty left
        assertEquals(0.0, SourceScores.nce(Y12, Y12), 1e-12);
    }

    @Test
    void betterSeparatedFeaturesScoreHigherOnEveryScore() {
        // the same labels, features with the class signal removed: every score must drop
        float[][] noise = new float[F30.length][];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = new float[] {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
        }
        assertTrue(LogMe.score(F30, Y30) > LogMe.score(noise, Y30));
        assertTrue(HScore.score(F30, Y30) > HScore.score(noise, Y30));
        assertTrue(KnnProxy.accuracy(F30, Y30, 5) > KnnProxy.accuracy(noise, Y30, 5));
    }

    @Test
    void knnOnTwoSeparatedClustersIsPerfect() {
        float[][] f = {{1, 0.1f}, {1, 0.2f}, {1, -0.1f}, {-1, 0.1f}, {-1, 0.2f}, {-1, -0.1f}};
        assertEquals(1.0, KnnProxy.accuracy(f, new int[] {0, 0, 0, 1, 1, 1}, 1), 1e-12);
    }

    @Test
    void weightedTauMatchesScipy() {
        // expected values printed by scipy.stats.weightedtau 1.17.1 (default hyperbolic weigher, rank=True)
        assertEquals(0.5656934306569343, WeightedTau.of(new double[] {0.1, 0.4, 0.35, 0.8, 0.5},
                new double[] {0.2, 0.5, 0.3, 0.9, 0.1}), 1e-12);
        assertEquals(0.307046829380326, WeightedTau.of(new double[] {1, 1, 0, 0, 1, 2, 2},
                new double[] {3, 1, -1, 0, 2, 1, 2}), 1e-12);
        assertEquals(1, WeightedTau.of(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}), 1e-12);
        assertEquals(-1, WeightedTau.of(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 1e-12);
    }
}
