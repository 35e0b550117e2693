package io.transfer4j.selfsup;

import io.transfer4j.data.Labelled;
import io.transfer4j.fewshot.TunedBackbone;
import io.transfer4j.model.Classifier;
import io.transfer4j.pipeline.Context;
import io.transfer4j.run.RunSettings;
import java.nio.file.Path;

/**
 * What a modality implements when its backbone can be pre-trained without labels through the one
 * training loop (images: any trainable image backbone, the built-in CNNs included).
 */
public interface SelfSupervised<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    /**
     * {@code config}'s backbone trained by SimCLR on the rows of {@code train} (their labels, if any,
     * unread), validated on the views of {@code validation} after every epoch.
     */
    TunedBackbone<D, M, C> pretrainContrastive(C config, D train, D validation, ContrastiveConfig contrastive, Context context);

    /**
     * The trained backbone written to {@code dir} (atomically) as a bundle without a classifier: what
     * {@code train}, {@code curve} and {@code adapt} read with {@code --backbone dir}, plus
     * {@code pretrain.json} ({@code summary}) and the resolved options ({@code configYaml}, may be null).
     */
    void saveBackbone(TunedBackbone<D, M, C> tuned, Path dir, byte[] summary, byte[] configYaml);
}
