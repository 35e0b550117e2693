package io.transfer4j.train;

/**
 * Settings of one training run of the loop.
 *
 * @param maxEpochs upper bound; early stopping usually ends sooner
 * @param patience epochs without a better validation loss before stopping
 * @param l2 penalty (l2/2)·||W||² on weight matrices (not biases), added to the mean loss
 */
public record TrainConfig(int maxEpochs, int batchSize, float learningRate, float l2, int patience, long seed) {
    public TrainConfig {
        if (maxEpochs <= 0 || batchSize <= 0 || learningRate <= 0 || l2 < 0 || patience <= 0) {
            throw new IllegalArgumentException("invalid training config " + maxEpochs + "/" + batchSize + "/"
                    + learningRate + "/" + l2 + "/" + patience);
        }
    }

    public TrainConfig withL2(float v) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, v, patience, seed);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, l2, patience, s);
    }
}
