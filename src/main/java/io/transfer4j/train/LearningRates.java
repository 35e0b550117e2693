package io.transfer4j.train;

/**
 * The one place a learning rate left unset (0) is resolved, per modality and strategy, when a run
 * starts: a strategy set after a learning rate no longer overwrites it, and a learning rate set
 * never changes with the strategy.
 */
public final class LearningRates {
    private LearningRates() {}

    /**
     * For a transformer encoder: 1e-2 for a probe's head, 1e-3 where few weights train (LoRA,
     * BitFit), else 5e-5 (full, partial, gradual, LP-FT), as BERT fine-tuning does.
     */
    public static float text(Strategy s) {
        return switch (s.kind()) {
            case LINEAR_PROBE -> 1e-2f;
            case LORA, BITFIT -> 1e-3f;
            default -> 5e-5f;
        };
    }

    /**
     * For a CNN (vision backbones and the speech embedding alike): 1e-3 from scratch and where part of the network stays frozen (partial, BitFit,
     * LoRA), 5e-4 when all of a pre-trained network moves (full, gradual, LP-FT).
     */
    public static float cnn(Strategy s, boolean fromScratch) {
        if (fromScratch) {
            return 1e-3f;
        }
        return switch (s.kind()) {
            case PARTIAL, BITFIT, LORA, LINEAR_PROBE -> 1e-3f;
            default -> 5e-4f;
        };
    }

    /** {@code config} with its learning rate, if unset (0), replaced by {@code dflt}. */
    public static TrainConfig resolve(TrainConfig config, float dflt) {
        return config.learningRate() > 0 ? config : config.toBuilder().learningRate(dflt).build();
    }
}
