package io.transfer4j.fewshot;

import io.transfer4j.data.Labelled;
import io.transfer4j.model.Classifier;
import io.transfer4j.pipeline.Context;
import io.transfer4j.run.RunSettings;

/**
 * What a modality implements when its backbone can be meta-trained on episodes of base classes
 * through the one training loop (images: the built-in CNNs and any trainable image backbone).
 */
public interface EpisodicTraining<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    /**
     * {@code config}'s backbone meta-trained on episodes of {@code train}, validated on episodes of
     * {@code validation} (held-out rows of the same base classes) after every epoch.
     */
    TunedBackbone<D, M, C> metaTrain(C config, D train, D validation, MetaConfig meta, Context context);
}
