package io.transfer4j.fewshot;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.model.Classifier;
import io.transfer4j.run.RunSettings;
import io.transfer4j.util.Progress;

/**
 * What a modality implements when its backbone can be tuned SetFit's way: contrastively on pairs
 * of labelled rows, through the one training loop. Texts do; the rest of the few-shot job (a head
 * on the tuned backbone's frozen features, held-out shots, the bundle) is {@link FewShot}'s.
 */
public interface ContrastiveTuning<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    /**
     * The backbone of {@code config} tuned on pairs of {@code shots}: a modality and configuration
     * that read the tuned backbone, which lives in {@code folder} until the model made from it (or,
     * on failure, the result) is closed.
     */
    TunedBackbone<D, M, C> contrastive(C config, D shots, LabelMap labels, SetFitConfig setFit, Progress progress);
}
