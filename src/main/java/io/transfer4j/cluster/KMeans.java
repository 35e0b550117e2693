package io.transfer4j.cluster;

import java.util.Random;

/**
 * Lloyd's k-means with k-means++ seeding, the best of several seeded restarts by inertia (the sum
 * of squared distances to the assigned centre). Distances use ||x||^2 - 2 x·c + ||c||^2, so one
 * pass is n·k dot products.
 */
public final class KMeans {
    static final int MAX_ITERATIONS = 100;

    private KMeans() {}

    /** A partition: each row's cluster, the centres, and the inertia. */
    public record Result(int[] assignment, float[][] centres, double inertia, int iterations) {
        public int k() {
            return centres.length;
        }
    }

    public static Result fit(float[][] x, int k, int restarts, long seed) {
        if (k < 1 || k > x.length) {
            throw new IllegalArgumentException("k = " + k + " for " + x.length + " rows");
        }
        Result best = null;
        for (int r = 0; r < restarts; r++) {
            Result one = once(x, k, new Random(seed * 1_000_003L + r));
            if (best == null || one.inertia() < best.inertia()) {
                best = one;
            }
        }
        return best;
    }

    private static Result once(float[][] x, int k, Random rng) {
        int n = x.length;
        int d = x[0].length;
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            norms[i] = dot(x[i], x[i]);
        }
        float[][] c = seed(x, k, rng);
        int[] a = new int[n];
        java.util.Arrays.fill(a, -1);
        double inertia = 0;
        int it = 0;
        for (; it < MAX_ITERATIONS; it++) {
            boolean changed = false;
            inertia = 0;
            double[] cn = new double[k];
            for (int j = 0; j < k; j++) {
                cn[j] = dot(c[j], c[j]);
            }
            for (int i = 0; i < n; i++) {
                int arg = 0;
                double min = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double dist = norms[i] - 2 * dot(x[i], c[j]) + cn[j];
                    if (dist < min) {
                        min = dist;
                        arg = j;
                    }
                }
                inertia += Math.max(0, min);
                if (a[i] != arg) {
                    a[i] = arg;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            double[][] sum = new double[k][d];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[a[i]]++;
                for (int t = 0; t < d; t++) {
                    sum[a[i]][t] += x[i][t];
                }
            }
            for (int j = 0; j < k; j++) {
                if (count[j] == 0) {
                    // an emptied cluster restarts at the row farthest from its centre
                    c[j] = x[farthest(x, a, c, norms)].clone();
                    continue;
                }
                for (int t = 0; t < d; t++) {
                    c[j][t] = (float) (sum[j][t] / count[j]);
                }
            }
        }
        return new Result(a, c, inertia, it);
    }

    /** k-means++: each further centre drawn with probability proportional to the squared distance to the nearest chosen one. */
    static float[][] seed(float[][] x, int k, Random rng) {
        int n = x.length;
        float[][] c = new float[k][];
        c[0] = x[rng.nextInt(n)].clone();
        double[] d2 = new double[n];
        for (int i = 0; i < n; i++) {
            d2[i] = squared(x[i], c[0]);
        }
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (double v : d2) {
                total += v;
            }
            int pick = rng.nextInt(n);
            if (total > 0) {
                double u = rng.nextDouble() * total;
                for (int i = 0; i < n; i++) {
                    u -= d2[i];
                    if (u <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            c[j] = x[pick].clone();
            for (int i = 0; i < n; i++) {
                d2[i] = Math.min(d2[i], squared(x[i], c[j]));
            }
        }
        return c;
    }

    private static int farthest(float[][] x, int[] a, float[][] c, double[] norms) {
        int arg = 0;
        double max = -1;
        for (int i = 0; i < x.length; i++) {
            double dist = squared(x[i], c[a[i]]);
            if (dist > max) {
                max = dist;
                arg = i;
            }
        }
        return arg;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double squared(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }
}
