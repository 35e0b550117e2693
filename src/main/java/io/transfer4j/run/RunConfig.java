package io.transfer4j.run;

import io.transfer4j.train.HeadType;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;

/**
 * Everything that decides a text-transfer run, recorded in the bundle so the run can be repeated.
 *
 * @param maxLength tokens per encoder window; 0 means the backbone's own limit
 * @param maxWindows windows read per long text (1 = plain truncation)
 */
public record RunConfig(String backbone, HeadType head, int hidden, int maxLength, int maxWindows, long seed,
        double validationFraction, double testFraction, float[] l2Grid, TrainConfig headTraining, boolean cache,
        Strategy strategy, TrainConfig tuning) implements RunSettings<RunConfig> {

    public RunConfig {
        strategy = strategy == null ? Strategy.of(Strategy.Kind.LINEAR_PROBE) : strategy;
        tuning = tuning == null ? defaultTuning(strategy) : tuning;
    }

    /** Fine-tuning defaults: 3 epochs of batch 16, AdamW with warm-up and linear decay, patience 2. */
    static TrainConfig defaultTuning(Strategy s) {
        return new TrainConfig(3, 16, s.defaultLearningRate(), 0, 2, 42, Optimization.FINE_TUNING);
    }

    public static RunConfig defaults() {
        return new RunConfig(io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID, HeadType.LOGISTIC, 256, 0,
                io.transfer4j.backbone.TextEncoder.DEFAULT_MAX_WINDOWS, 42,
                0.15, 0.2, new float[] {1e-3f, 1e-2f, 1e-1f, 1f}, new TrainConfig(200, 64, 0.01f, 0, 10, 42), true,
                null, null);
    }

    @Override
    public RunConfig withBackbone(String v) {
        return new RunConfig(v, head, hidden, maxLength, maxWindows, seed, validationFraction, testFraction, l2Grid,
                headTraining, cache, strategy, tuning);
    }

    public RunConfig withHead(HeadType v) {
        return new RunConfig(backbone, v, hidden, maxLength, maxWindows, seed, validationFraction, testFraction, l2Grid,
                headTraining, cache, strategy, tuning);
    }

    public RunConfig withMaxLength(int v) {
        return new RunConfig(backbone, head, hidden, v, maxWindows, seed, validationFraction, testFraction, l2Grid,
                headTraining, cache, strategy, tuning);
    }

    public RunConfig withMaxWindows(int v) {
        return new RunConfig(backbone, head, hidden, maxLength, v, seed, validationFraction, testFraction, l2Grid,
                headTraining, cache, strategy, tuning);
    }

    /** The seed drives the split, the initialisation and the batch order. */
    @Override
    public RunConfig withSeed(long v) {
        return new RunConfig(backbone, head, hidden, maxLength, maxWindows, v, validationFraction, testFraction, l2Grid,
                headTraining.withSeed(v), cache, strategy, tuning.withSeed(v));
    }

    public RunConfig withL2Grid(float... v) {
        return new RunConfig(backbone, head, hidden, maxLength, maxWindows, seed, validationFraction, testFraction,
                v.clone(), headTraining, cache, strategy, tuning);
    }

    public RunConfig withCache(boolean v) {
        return new RunConfig(backbone, head, hidden, maxLength, maxWindows, seed, validationFraction, testFraction, l2Grid,
                headTraining, v, strategy, tuning);
    }

    /** Chooses the strategy; the fine-tuning learning rate becomes the strategy's default (set it after). */
    @Override
    public RunConfig withStrategy(Strategy v) {
        return new RunConfig(backbone, head, hidden, maxLength, maxWindows, seed, validationFraction, testFraction, l2Grid,
                headTraining, cache, v, tuning.withLearningRate(v.defaultLearningRate()));
    }

    /** Epochs, batch, learning rate, optimizer and schedule of fine-tuning (strategies other than linear-probe). */
    public RunConfig withTuning(TrainConfig v) {
        return new RunConfig(backbone, head, hidden, maxLength, maxWindows, seed, validationFraction, testFraction, l2Grid,
                headTraining, cache, strategy, v);
    }
}
