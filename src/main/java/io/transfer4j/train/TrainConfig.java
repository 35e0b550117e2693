package io.transfer4j.train;

/**
 * Settings of one training run of the loop.
 *
 * @param maxEpochs upper bound; early stopping usually ends sooner
 * @param learningRate peak learning rate; 0 = not set, the strategy's default ({@link LearningRates}) applies
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
        if (maxEpochs <= 0 || batchSize <= 0 || !(learningRate >= 0) || l2 < 0 || patience <= 0) {
            throw new io.transfer4j.util.UserException("invalid training config: epochs " + maxEpochs + ", batch " + batchSize
                    + ", learning rate " + learningRate + ", l2 " + l2 + ", patience " + patience
                    + "; all must be positive (l2 >= 0; learning rate 0 = the strategy's default)");
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

    /** Whether validation (loss, accuracy) beats the best so far under {@link #selectBy}. */
    public boolean improves(double loss, double accuracy, double bestLoss, double bestAccuracy) {
        if (selectBy == Selection.ACCURACY && accuracy != bestAccuracy) {
            return accuracy > bestAccuracy;
        }
        return loss < bestLoss - 1e-6;
    }

    /** The same settings under another seed (each seed of a guard, each run of a comparison). */
    public TrainConfig withSeed(long s) {
        return toBuilder().seed(s).build();
    }

    /** The same settings with another L2 strength (each value of a probe's grid). */
    public TrainConfig withL2(float v) {
        return toBuilder().l2(v).build();
    }

    /** Defaults to change: 10 epochs of batch 32, learning rate unset, no L2, patience 3, Adam, select by loss. */
    public static Builder builder() {
        return new Builder(new TrainConfig(10, 32, 0, 0, 3, 0, Optimization.PLAIN_ADAM, Selection.LOSS));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy, for changing several settings at once. */
    public static final class Builder {
        private int maxEpochs;
        private int batchSize;
        private float learningRate;
        private float l2;
        private int patience;
        private long seed;
        private Optimization optimization;
        private Selection selectBy;

        private Builder(TrainConfig c) {
            maxEpochs = c.maxEpochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            l2 = c.l2;
            patience = c.patience;
            seed = c.seed;
            optimization = c.optimization;
            selectBy = c.selectBy;
        }

        public Builder epochs(int v) {
            maxEpochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Peak learning rate; 0 = the strategy's default, resolved when the run starts ({@link LearningRates}). */
        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }

        public Builder l2(float v) {
            l2 = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder optimization(Optimization v) {
            optimization = v;
            return this;
        }

        public Builder selectBy(Selection v) {
            selectBy = v;
            return this;
        }

        public TrainConfig build() {
            return new TrainConfig(maxEpochs, batchSize, learningRate, l2, patience, seed, optimization, selectBy);
        }
    }
}
