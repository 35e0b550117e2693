package io.transfer4j.fewshot;

import io.transfer4j.train.Standardizer;

/**
 * Nearest class prototype (Snell et al., 2017): each class is the mean of its shots, a row goes to
 * the closest, and a softmax over {@code closeness / temperature} gives probabilities. With
 * unlabelled rows and {@code refinements > 0} the prototypes are refined transductively by soft
 * k-means (Ren et al., 2018): each unlabelled row joins every class with its current probability
 * and the means are recomputed, {@code refinements} times.
 *
 * <p>Closeness is the cosine for {@link Metric#COSINE}; for {@link Metric#EUCLIDEAN} it is
 * {@code -|x - p|^2} divided by the mean squared distance of the shots to the prototypes, so one
 * temperature grid suits features of any scale.
 *
 * @param temperature softmax temperature (only the probabilities and the refinement depend on it, never
 *     the prediction from shots alone)
 */
public record Prototypes(Metric metric, float temperature, int refinements) implements ShotLearner {
    /** Temperatures tried when one is chosen on held-out shots ({@link ShotFolds#temperature}). */
    static final float[] TEMPERATURES = {0.01f, 0.02f, 0.05f, 0.1f, 0.2f, 0.5f, 1f};

    /** Used when nothing can be held out (one shot per class): a cosine of 0.1 apart is e times likelier. */
    public static final float DEFAULT_TEMPERATURE = 0.1f;

    public Prototypes {
        if (!(temperature > 0) || refinements < 0) {
            throw new IllegalArgumentException("temperature " + temperature + ", refinements " + refinements);
        }
    }

    @Override
    public String id() {
        return "prototypes-" + metric.id() + (refinements > 0 ? "+transductive" : "");
    }

    public Prototypes withTemperature(float t) {
        return new Prototypes(metric, t, refinements);
    }

    public Prototypes withRefinements(int r) {
        return new Prototypes(metric, temperature, r);
    }

    @Override
    public ShotHead fit(float[][] x, int[] y, int classes, float[][] unlabelled) {
        int d = x[0].length;
        float[][] z = metric == Metric.COSINE ? unit(x) : x;
        double[][] sum = new double[classes][d];
        double[] count = new double[classes];
        for (int i = 0; i < z.length; i++) {
            add(sum[y[i]], z[i], 1);
            count[y[i]]++;
        }
        for (int c = 0; c < classes; c++) {
            if (count[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no shots");
            }
        }
        double scale = metric == Metric.EUCLIDEAN ? meanSquaredDistance(z, means(sum, count)) : 1;
        ShotHead head = head(means(sum, count), scale);
        if (unlabelled != null && unlabelled.length > 0) {
            float[][] u = metric == Metric.COSINE ? unit(unlabelled) : unlabelled;
            for (int r = 0; r < refinements; r++) {
                double[][] s = new double[classes][];
                double[] n = count.clone();
                for (int c = 0; c < classes; c++) {
                    s[c] = sum[c].clone();
                }
                float[][] logits = head.logits(unlabelled);
                for (int i = 0; i < u.length; i++) {
                    double[] p = softmax(logits[i]);
                    for (int c = 0; c < classes; c++) {
                        add(s[c], u[i], p[c]);
                        n[c] += p[c];
                    }
                }
                head = head(means(s, n), scale);
            }
        }
        return head;
    }

    private ShotHead head(double[][] protos, double scale) {
        int classes = protos.length;
        int d = protos[0].length;
        float[][] w = new float[classes][d];
        float[] b = new float[classes];
        if (metric == Metric.COSINE) {
            for (int c = 0; c < classes; c++) {
                double norm = Math.sqrt(dot(protos[c], protos[c]));
                for (int j = 0; j < d; j++) {
                    w[c][j] = (float) (protos[c][j] / (norm > 0 ? norm : 1) / temperature);
                }
            }
            return new ShotHead(Standardizer.unitLength(d, 1f), w, b);
        }
        // -|x - p|^2 / (T s) = (2 x·p - |p|^2) / (T s) - |x|^2 / (T s); the last term is the same for every class
        double k = 1 / (temperature * scale);
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                w[c][j] = (float) (2 * protos[c][j] * k);
            }
            b[c] = (float) (-dot(protos[c], protos[c]) * k);
        }
        return new ShotHead(Standardizer.identity(d), w, b);
    }

    private static double[][] means(double[][] sum, double[] count) {
        double[][] m = new double[sum.length][];
        for (int c = 0; c < sum.length; c++) {
            m[c] = new double[sum[c].length];
            for (int j = 0; j < m[c].length; j++) {
                m[c][j] = sum[c][j] / count[c];
            }
        }
        return m;
    }

    /** Mean over rows and classes of |x - p|^2: the scale Euclidean closeness is divided by. */
    private static double meanSquaredDistance(float[][] x, double[][] protos) {
        double s = 0;
        for (float[] row : x) {
            for (double[] p : protos) {
                for (int j = 0; j < p.length; j++) {
                    double e = row[j] - p[j];
                    s += e * e;
                }
            }
        }
        s /= (double) x.length * protos.length;
        return s > 0 ? s : 1;
    }

    static float[][] unit(float[][] x) {
        return Standardizer.unitLength(x[0].length, 1f).apply(x);
    }

    private static void add(double[] acc, float[] row, double weight) {
        for (int j = 0; j < acc.length; j++) {
            acc[j] += weight * row[j];
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }
}
