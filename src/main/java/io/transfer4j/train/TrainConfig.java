package io.transfer4j.train;

/**
 * Settings of one training run of the loop.
 *
 * @param maxEpochs upper bound; early stopping usually ends sooner
 * @param patience epochs without a better validation loss before stopping
 * @param l2 penalty (l2/2)·||W||² on trainable weight matrices (not biases), added to the mean loss
 * @param optimization optimizer, schedule and regularisers
 */
public record TrainConfig(int maxEpochs, int batchSize, float learningRate, float l2, int patience, long seed,
        Optimization optimization) {
    public TrainConfig {
        if (maxEpochs <= 0 || batchSize <= 0 || !(learningRate > 0) || l2 < 0 || patience <= 0) {
            throw new io.transfer4j.util.UserException("invalid training config: epochs " + maxEpochs + ", batch " + batchSize
                    + ", learning rate " + learningRate + ", l2 " + l2 + ", patience " + patience + "; all must be positive (l2 >= 0)");
        }
        if (optimization == null) {
            optimization = Optimization.PLAIN_ADAM;
        }
    }

    public TrainConfig(int maxEpochs, int batchSize, float learningRate, float l2, int patience, long seed) {
        this(maxEpochs, batchSize, learningRate, l2, patience, seed, Optimization.PLAIN_ADAM);
    }

    public TrainConfig withL2(float v) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, v, patience, seed, optimization);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, l2, patience, s, optimization);
    }

    public TrainConfig withOptimization(Optimization o) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, l2, patience, seed, o);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, learningRate, l2, patience, seed, optimization);
    }

    public TrainConfig withLearningRate(float v) {
        return new TrainConfig(maxEpochs, batchSize, v, l2, patience, seed, optimization);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(maxEpochs, b, learningRate, l2, patience, seed, optimization);
    }

    public TrainConfig withPatience(int p) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, l2, p, seed, optimization);
    }
}
