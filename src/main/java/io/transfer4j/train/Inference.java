package io.transfer4j.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/** Forward passes in inference mode, in batches, each on a manager freed after the batch. */
public final class Inference {
    private static final int BATCH = 256;

    private Inference() {}

    /** Class probabilities, one row per input row. */
    public static float[][] probabilities(Model model, Rows x) {
        return probabilities(model, x, BATCH);
    }

    /** Class probabilities in batches of {@code batch} rows (smaller for big networks). */
    public static float[][] probabilities(Model model, Rows x, int batch) {
        float[][] out = new float[x.size()][];
        ParameterStore ps = new ParameterStore(model.getNDManager(), false);
        for (int start = 0; start < x.size(); start += batch) {
            int[] idx = range(start, Math.min(x.size(), start + batch));
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray logits = model.getBlock().forward(ps, x.batch(m, idx), false).singletonOrThrow();
                NDArray p = logits.softmax(-1);
                int k = (int) p.getShape().get(1);
                float[] flat = p.toFloatArray();
                for (int r = 0; r < idx.length; r++) {
                    out[idx[r]] = java.util.Arrays.copyOfRange(flat, r * k, (r + 1) * k);
                }
            }
        }
        return out;
    }

    /** Mean cross-entropy and accuracy of the model on labelled rows. */
    public static double[] lossAndAccuracy(Model model, Rows x, int[] y) {
        return lossAndAccuracy(model, x, y, BATCH);
    }

    public static double[] lossAndAccuracy(Model model, Rows x, int[] y, int batch) {
        float[][] p = probabilities(model, x, batch);
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            loss -= Math.log(Math.max(p[i][y[i]], 1e-12f));
            if (argMax(p[i]) == y[i]) {
                correct++;
            }
        }
        return new double[] {loss / y.length, (double) correct / y.length};
    }

    /** The most probable class of each row: the one prediction path of every model and command. */
    public static int[] argMax(float[][] p) {
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = argMax(p[i]);
        }
        return out;
    }

    public static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) {
            a[i] = from + i;
        }
        return a;
    }

}
