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

    C withBackbone(String backbone);

    C withStrategy(Strategy strategy);

    C withSeed(long seed);
}
