package io.transfer4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** NMI and ARI against values scikit-learn gives for the same partitions; k-means and Ward on separated blobs. */
class ClusterScoresTest {
    @Test
    void scoresMatchScikitLearn() {
        int[] truth = {0, 0, 1, 1};
        int[] refined = {0, 0, 1, 2};
        // sklearn: normalized_mutual_info_score = 0.8, adjusted_rand_score = 0.5714285714285715
        assertEquals(0.8, ClusterScores.nmi(truth, refined), 1e-12);
        assertEquals(0.5714285714285715, ClusterScores.ari(truth, refined), 1e-12);
        assertEquals(1, ClusterScores.nmi(truth, new int[] {1, 1, 0, 0}), 1e-12, "labels are names: a permutation is perfect");
        assertEquals(1, ClusterScores.ari(truth, new int[] {1, 1, 0, 0}), 1e-12);
        // sklearn's documented example: adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1]) = -0.5 (worse than chance)
        assertEquals(-0.5, ClusterScores.ari(truth, new int[] {0, 1, 0, 1}), 1e-12);
    }

    static float[][] blobs(int perBlob, int[] truth, long seed) {
        Random r = new Random(seed);
        float[][] centres = {{0, 0}, {10, 0}, {0, 10}};
        float[][] x = new float[3 * perBlob][];
        for (int i = 0; i < x.length; i++) {
            int b = i % 3;
            truth[i] = b;
            x[i] = new float[] {centres[b][0] + (float) r.nextGaussian(), centres[b][1] + (float) r.nextGaussian()};
        }
        return x;
    }

    @Test
    void kMeansAndWardRecoverSeparatedBlobs() {
        int[] truth = new int[150];
        float[][] x = blobs(50, truth, 3);
        KMeans.Result km = KMeans.fit(x, 3, 3, 1);
        assertEquals(1, ClusterScores.ari(truth, km.assignment()), 1e-12);
        assertEquals(1, ClusterScores.ari(truth, Agglomerative.ward(x, 3)), 1e-12);
        double s3 = ClusterScores.silhouette(x, km.assignment(), 3);
        double s2 = ClusterScores.silhouette(x, KMeans.fit(x, 2, 3, 1).assignment(), 2);
        assertTrue(s3 > 0.7 && s3 > s2, "the silhouette prefers the true k: " + s3 + " at 3 vs " + s2 + " at 2");
    }
}
