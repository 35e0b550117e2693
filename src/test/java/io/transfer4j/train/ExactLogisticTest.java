package io.transfer4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactLogisticTest {
    /** Three Gaussian classes in 20 dimensions, overlapping so that the optimum is finite at any strength. */
    static float[][] blobs(int n, int[] y, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][20];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 20; j++) {
                x[i][j] = (float) (r.nextGaussian() + (j == y[i] ? 1.0 : 0) + (j == 3 + y[i] ? 0.5 : 0));
            }
        }
        return x;
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        int[] y = new int[60];
        float[][] x = blobs(60, y, 1);
        try (LogisticObjective f = new LogisticObjective(x, y, 3)) {
            Random r = new Random(2);
            double[] theta = new double[f.parameters()];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = 0.3 * r.nextGaussian();
            }
            double[] g = new double[theta.length];
            f.value(theta, 0.05, g);
            double[] tmp = new double[theta.length];
            for (int i : new int[] {0, 7, 21, 40, 59, theta.length - 2, theta.length - 1}) {
                double[] a = theta.clone();
                double[] b = theta.clone();
                a[i] += 1e-5;
                b[i] -= 1e-5;
                double numeric = (f.value(a, 0.05, tmp) - f.value(b, 0.05, tmp)) / 2e-5;
                assertEquals(numeric, g[i], 1e-7, "component " + i);
            }
        }
    }

    @Test
    void lbfgsReachesTheOptimum() {
        int[] y = new int[300];
        float[][] x = blobs(300, y, 3);
        try (LogisticObjective f = new LogisticObjective(x, y, 3)) {
            Lbfgs.Result r = Lbfgs.minimize((t, g) -> f.value(t, 1e-3, g), new double[f.parameters()], 1000, 1e-8, null);
            assertTrue(r.converged());
            double[] g = new double[f.parameters()];
            double best = f.value(r.x(), 1e-3, g);
            for (double v : g) {
                assertTrue(Math.abs(v) < 1e-7, "gradient " + v);
            }
            // any nearby point is worse: the optimum, not just a stationary stall
            Random rnd = new Random(4);
            for (int k = 0; k < 20; k++) {
                double[] p = r.x().clone();
                for (int i = 0; i < p.length; i++) {
                    p[i] += 1e-3 * rnd.nextGaussian();
                }
                assertTrue(f.value(p, 1e-3, g) > best);
            }
            System.out.printf("L-BFGS: %d iterations, %d evaluations%n", r.iterations(), r.evaluations());
        }
    }

    @Test
    void foldsAreStratifiedAndBalanced() {
        int[] y = new int[53];
        for (int i = 0; i < y.length; i++) {
            y[i] = i < 40 ? 0 : 1;
        }
        int[] fold = ExactLogistic.stratifiedFolds(y, 2, 7);
        int[][] count = new int[5][2];
        for (int i = 0; i < y.length; i++) {
            count[fold[i]][y[i]]++;
        }
        for (int[] c : count) {
            assertEquals(8, c[0]);
            assertTrue(c[1] == 2 || c[1] == 3);
        }
        // 3 rows of the smallest class: 3 folds; 1 row: no cross-validation
        assertEquals(2, java.util.Arrays.stream(ExactLogistic.stratifiedFolds(new int[] {0, 0, 0, 0, 1, 1, 1}, 2, 1)).max().getAsInt());
        assertNull(ExactLogistic.stratifiedFolds(new int[] {0, 0, 0, 1}, 2, 1));
    }

    @Test
    void aSingletonClassWithoutValidationRowsIsTheUsersError() {
        float[][] x = {{0f, 1f}, {1f, 0f}, {0.5f, 0.5f}, {2f, 2f}};
        int[] y = {0, 0, 0, 1};
        io.transfer4j.util.UserException e = org.junit.jupiter.api.Assertions.assertThrows(io.transfer4j.util.UserException.class,
                () -> ExactLogistic.fit("probe", 2, x, y, null, null, LinearProbe.DEFAULT_L2, 1, io.transfer4j.util.Progress.SILENT));
        assertTrue(e.getMessage().contains("only 1 row"), e.getMessage());
        // one given strength needs no folds
        ExactLogistic.fit("probe", 2, x, y, null, null, new float[] {0.1f}, 1, io.transfer4j.util.Progress.SILENT).model().close();
    }

    @Test
    void crossValidationChoosesAndTimesTheGrid() {
        int[] y = new int[600];
        float[][] x = blobs(600, y, 5);
        long t0 = System.nanoTime();
        HeadFitter.Fitted fit = ExactLogistic.fit("probe", 3, x, y, null, null, LinearProbe.DEFAULT_L2, 42, io.transfer4j.util.Progress.SILENT);
        try {
            System.out.printf("CV over %d strengths: %.0f ms, chose %.1e%n", LinearProbe.DEFAULT_L2.length, (System.nanoTime() - t0) / 1e6,
                    fit.best().l2());
            assertEquals(LinearProbe.DEFAULT_L2.length, fit.grid().size());
            assertTrue(fit.best().bestValidationAccuracy() > 0.6);
        } finally {
            fit.model().close();
        }
    }
}
