package io.transfer4j.train;

/**
 * Settings of one training run of the loop.
 *
 * @param maxEpochs upper bound; early stopping usually ends sooner
 * @param patience epochs without a better validation score ({@code selectBy}) before stopping
 * @param l2 penalty (l2/2)·||W||² on trainable weight matrices (not biases), added to the mean loss
 * @param optimization optimizer, schedule and regularisers
 * @param selectBy what picks the epoch whose weights are kept and counts toward patience
 */
public record TrainConfig(int maxEpochs, int batchSize, float learningRate, float l2, int patience, long seed,
        Optimization optimization, Selection selectBy) {

    /** The validation measure that chooses the best epoch. */
    public enum Selection {
        /** lowest validation loss */
        LOSS,
        /** highest validation accuracy, ties broken by the lower loss */
        ACCURACY;

        public static Selection parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new io.transfer4j.util.UserException("unknown selection '" + s + "'; use loss or accuracy");
            }
        }
    }

    public TrainConfig {
        if (maxEpochs <= 0 || batchSize <= 0 || !(learningRate > 0) || l2 < 0 || patience <= 0) {
            throw new io.transfer4j.util.UserException("invalid training config: epochs " + maxEpochs + ", batch " + batchSize
                    + ", learning rate " + learningRate + ", l2 " + l2 + ", patience " + patience + "; all must be positive (l2 >= 0)");
        }
        if (optimization == null) {
            optimization = Optimization.PLAIN_ADAM;
        }
        if (selectBy == null) {
            selectBy = Selection.LOSS;
        }
    }

    public TrainConfig(int maxEpochs, int batchSize, float learningRate, float l2, int patience, long seed,
            Optimization optimization) {
        this(maxEpochs, batchSize, learningRate, l2, patience, seed, optimization, Selection.LOSS);
    }

    public TrainConfig(int maxEpochs, int batchSize, float learningRate, float l2, int patience, long seed) {
        this(maxEpochs, batchSize, learningRate, l2, patience, seed, Optimization.PLAIN_ADAM);
    }

    public TrainConfig withSelection(Selection s) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, l2, patience, seed, optimization, s);
    }

    /** Whether validation (loss, accuracy) beats the best so far under {@link #selectBy}. */
    public boolean improves(double loss, double accuracy, double bestLoss, double bestAccuracy) {
        if (selectBy == Selection.ACCURACY && accuracy != bestAccuracy) {
            return accuracy > bestAccuracy;
        }
        return loss < bestLoss - 1e-6;
    }

    public TrainConfig withL2(float v) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, v, patience, seed, optimization, selectBy);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, l2, patience, s, optimization, selectBy);
    }

    public TrainConfig withOptimization(Optimization o) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, l2, patience, seed, o, selectBy);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, learningRate, l2, patience, seed, optimization, selectBy);
    }

    public TrainConfig withLearningRate(float v) {
        return new TrainConfig(maxEpochs, batchSize, v, l2, patience, seed, optimization, selectBy);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(maxEpochs, b, learningRate, l2, patience, seed, optimization, selectBy);
    }

    public TrainConfig withPatience(int p) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, l2, p, seed, optimization, selectBy);
    }
}
