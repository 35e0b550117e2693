package io.transfer4j.run;

import io.transfer4j.train.Strategy;

/**
 * What every modality's run configuration decides, read and changed by the shared pipeline: the
 * backbone, the strategy, the seed and the split. Each modality's record adds its own inputs
 * (tokens per window, image size, augmentation) and is recorded whole in the bundle.
 *
 * @param <C> the record itself, so that the changes keep its type
 */
public interface RunSettings<C extends RunSettings<C>> {
    String backbone();

    Strategy strategy();

    /** The seed drives the split, the initialisation and the batch order. */
    long seed();

    double validationFraction();

    double testFraction();

    /** A mutable copy, for changing several fields at once. */
    SettingsBuilder<?, C> toBuilder();

    default C withBackbone(String backbone) {
        return toBuilder().backbone(backbone).build();
    }

    /** Chooses the strategy; an explicit learning rate stays (0 keeps meaning the new strategy's default). */
    default C withStrategy(Strategy strategy) {
        return toBuilder().strategy(strategy).build();
    }

    /** The seed drives the split, the initialisation and the batch order. */
    default C withSeed(long seed) {
        return toBuilder().seed(seed).build();
    }
}
