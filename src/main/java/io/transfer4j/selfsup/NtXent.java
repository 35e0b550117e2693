package io.transfer4j.selfsup;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * SimCLR's normalised temperature-scaled cross-entropy over a batch of {@code 2n} projections in
 * which rows {@code i} and {@code i + n} are two views of one image: each row's positive is its
 * twin, its negatives the other {@code 2n - 2} rows, similarity the cosine over the temperature.
 * Computed as one similarity matrix (one GEMM), not row by row.
 */
public final class NtXent {
    /** Added to a row's similarity with itself so it never counts as a candidate (exp underflows to 0). */
    private static final float SELF = 1e9f;

    private NtXent() {}

    /** The mean loss over the {@code 2n} rows of {@code z} [2n, d]. */
    public static NDArray loss(NDManager m, NDArray z, float temperature) {
        NDArray logits = logits(m, z, temperature);
        return logits.logSoftmax(-1).mul(twins(m, (int) logits.getShape().get(0))).sum(new int[] {1}).mean().neg();
    }

    /** {summed loss, rows whose most similar other row is their twin}, over the rows of {@code z}. */
    public static double[] lossAndHits(NDManager m, NDArray z, float temperature) {
        NDArray logits = logits(m, z, temperature);
        int rows = (int) logits.getShape().get(0);
        double loss = logits.logSoftmax(-1).mul(twins(m, rows)).sum().neg().getFloat();
        long[] nearest = logits.argMax(1).toLongArray();
        int hits = 0;
        for (int i = 0; i < rows; i++) {
            hits += nearest[i] == twin(i, rows) ? 1 : 0;
        }
        return new double[] {loss, hits};
    }

    /** Cosine similarities over the temperature, each row's own similarity pushed out of reach. */
    private static NDArray logits(NDManager m, NDArray z, float temperature) {
        long rows = z.getShape().get(0);
        if (rows < 2 || rows % 2 != 0) {
            throw new IllegalArgumentException("NT-Xent needs two views of each image (an even number of rows, >= 2); got " + rows);
        }
        NDArray unit = z.div(z.square().sum(new int[] {1}, true).sqrt().maximum(1e-8f));
        return unit.matMul(unit.transpose()).div(temperature).sub(m.eye((int) rows).mul(SELF));
    }

    /** Row {@code i}'s twin among {@code rows} = 2n: the other view of the same image. */
    static int twin(int i, int rows) {
        int n = rows / 2;
        return i < n ? i + n : i - n;
    }

    private static NDArray twins(NDManager m, int rows) {
        float[] t = new float[rows * rows];
        for (int i = 0; i < rows; i++) {
            t[i * rows + twin(i, rows)] = 1;
        }
        return m.create(t, new Shape(rows, rows));
    }
}
