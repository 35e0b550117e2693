package io.transfer4j.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The native, blocked paths of the scores against the scalar Java they replaced, on the same numbers. */
class NativeScoresTest {
    /** Gaussian clusters, one per class, shifted apart along the first {@code signal} dimensions. */
    static float[][] clusters(int n, int d, int classes, double signal, int[] y, long seed) {
        Random r = new Random(seed);
        float[][] f = new float[n][d];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
            for (int j = 0; j < d; j++) {
                f[i][j] = (float) (r.nextGaussian() + (j % classes == y[i] ? signal : 0));
            }
        }
        return f;
    }

    @Test
    void blockedKnnMatchesThePairwiseLoopAcrossBlocks() {
        // 2,500 rows: three similarity blocks, the last one partial
        int[] y = new int[2500];
        float[][] f = clusters(y.length, 48, 5, 0.6, y, 3);
        double scalar = ScalarKnn.accuracy(f, y, 10);
        double blocked = KnnProxy.accuracy(f, y, 10);
        // the pairwise loop forms unit vectors in float, the native path in double: a near-tie may
        // swap one neighbour, nothing more
        assertEquals(scalar, blocked, 2.0 / y.length);
        assertEquals(ScalarKnn.accuracy(f, y, 1), KnnProxy.accuracy(f, y, 1), 2.0 / y.length);
    }

    @Test
    void nearestNeverReturnsTheRowItselfEvenWhenDuplicatesTie() {
        float[][] f = {{1, 0}, {1, 0}, {1, 0}, {0, 1}, {0.1f, 1}};
        int[][] nb = NativeDense.nearest(f, 2);
        for (int i = 0; i < f.length; i++) {
            for (int j : nb[i]) {
                assertNotEquals(i, j, "row " + i + " is its own neighbour");
            }
        }
        assertEquals(3, nb[4][0]);
        // more neighbours than other rows: every other row
        assertEquals(0.0, KnnProxy.accuracy(new float[][] {{1, 0}, {0, 1}}, new int[] {0, 1}, 10), 1e-12);
    }

    @Test
    void betweenClassCovarianceEqualsTheCovarianceOfTheClassMeanRows() {
        int[] y = new int[300];
        float[][] f = clusters(y.length, 7, 3, 1.0, y, 5);
        var x = Matrices.of(f);
        // the definition: every row replaced by its class's mean, then the sample covariance
        double[][] sum = new double[3][7];
        int[] count = new int[3];
        for (int i = 0; i < y.length; i++) {
            count[y[i]]++;
            for (int j = 0; j < 7; j++) {
                sum[y[i]][j] += f[i][j];
            }
        }
        float[][] means = new float[y.length][7];
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < 7; j++) {
                means[i][j] = (float) (sum[y[i]][j] / count[y[i]]);
            }
        }
        var expected = Matrices.covariance(Matrices.of(means));
        var closed = Matrices.betweenClassCovariance(x, y, 3);
        for (int i = 0; i < 49; i++) {
            assertEquals(expected.data[i], closed.data[i], 1e-6);
        }
    }

    @Test
    void symmetricPseudoInverseDropsTheNullSpace() {
        // rank 1: [[1, 1], [1, 1]] has pseudo-inverse [[0.25, 0.25], [0.25, 0.25]]
        var a = org.ejml.data.DMatrixRMaj.wrap(2, 2, new double[] {1, 1, 1, 1});
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, Matrices.pinvSymmetric(a, 1e-15).data, 1e-12);
    }
}
