package io.transfer4j.train;

/**
 * Per-feature centring and scaling fitted on training features only. Pooled embeddings have
 * dimensions of very different scale; standardising them makes one L2 strength fit all backbones.
 *
 * @param unitLength whether each row is first scaled to unit L2 length (few-shot heads: cosine
 *     prototypes, and a probe fitted on a handful of rows, whose per-feature statistics would be noise)
 */
public record Standardizer(float[] mean, float[] scale, boolean unitLength) {
    public Standardizer(float[] mean, float[] scale) {
        this(mean, scale, false);
    }

    public static Standardizer fit(float[][] x) {
        int w = x[0].length;
        double[] sum = new double[w];
        double[] sq = new double[w];
        for (float[] row : x) {
            for (int d = 0; d < w; d++) {
                sum[d] += row[d];
                sq[d] += (double) row[d] * row[d];
            }
        }
        float[] mean = new float[w];
        float[] scale = new float[w];
        for (int d = 0; d < w; d++) {
            double m = sum[d] / x.length;
            double var = Math.max(0, sq[d] / x.length - m * m);
            mean[d] = (float) m;
            scale[d] = (float) (var > 1e-12 ? 1 / Math.sqrt(var) : 1);
        }
        return new Standardizer(mean, scale);
    }

    /** No change: for features a fine-tuned head reads as they are. */
    public static Standardizer identity(int width) {
        return uniform(width, 1f, false);
    }

    /**
     * Rows scaled to length {@code length}: direction only, no statistics fitted (with
     * {@code sqrt(width)} each feature has unit mean square, the scale a standardised probe sees).
     */
    public static Standardizer unitLength(int width, float length) {
        return uniform(width, length, true);
    }

    private static Standardizer uniform(int width, float scale, boolean unit) {
        float[] s = new float[width];
        java.util.Arrays.fill(s, scale);
        return new Standardizer(new float[width], s, unit);
    }

    public float[][] apply(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            float[] r = new float[mean.length];
            float unit = unitLength ? inverseNorm(x[i]) : 1f;
            for (int d = 0; d < r.length; d++) {
                r[d] = (x[i][d] * unit - mean[d]) * scale[d];
            }
            out[i] = r;
        }
        return out;
    }

    /** 1 / |row|, or 1 for an all-zero row (left at zero rather than made NaN). */
    static float inverseNorm(float[] row) {
        double s = 0;
        for (float v : row) {
            s += (double) v * v;
        }
        return s > 0 ? (float) (1 / Math.sqrt(s)) : 1f;
    }
}
