package io.transfer4j.adapt;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.transfer4j.train.Rows;
import io.transfer4j.util.Progress;

/**
 * AdaBN: a trained network's BatchNorm statistics re-estimated on the target domain. The network's
 * BatchNorm nodes update their running statistics (momentum 0.9) whenever they run in training
 * mode, so the target rows are passed through in training mode, without gradients, for at least
 * {@link #MIN_BATCHES} batches: the source statistics then weigh 0.9^64, under 0.2%.
 */
public final class BatchNormStatistics {
    static final int MIN_BATCHES = 64;

    private BatchNormStatistics() {}

    /** Re-estimates {@code body}'s running statistics on {@code target} in batches of {@code batch} rows; returns the batches run. */
    public static int reestimate(Block body, Rows target, int batch, Progress progress) {
        int n = target.size();
        int per = Math.max(1, (n + batch - 1) / batch);
        int passes = Math.max(1, (MIN_BATCHES + per - 1) / per);
        int run = 0;
        try (Progress.Task task = progress.start("adabn statistics", (long) passes * per, "batches")) {
            for (int pass = 0; pass < passes; pass++) {
                int[] order = io.transfer4j.util.Permutations.shuffled(n, new java.util.Random(pass * 7919L + 1));
                for (int b = 0; b < per; b++) {
                    int[] idx = java.util.Arrays.copyOfRange(order, b * batch, Math.min(n, (b + 1) * batch));
                    if (idx.length < 2) {
                        continue; // a batch of one has no variance to estimate
                    }
                    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                        body.forward(new ParameterStore(m, false), target.batch(m, idx), true);
                    }
                    run++;
                    task.step(1);
                }
            }
        }
        return run;
    }
}
