package io.transfer4j.train;

/**
 * Per-feature centring and scaling fitted on training features only. Pooled embeddings have
 * dimensions of very different scale; standardising them makes one L2 strength fit all backbones.
 */
public record Standardizer(float[] mean, float[] scale) {
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
        float[] one = new float[width];
        java.util.Arrays.fill(one, 1f);
        return new Standardizer(new float[width], one);
    }

    public float[][] apply(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            float[] r = new float[mean.length];
            for (int d = 0; d < r.length; d++) {
                r[d] = (x[i][d] - mean[d]) * scale[d];
            }
            out[i] = r;
        }
        return out;
    }
}
