package io.transfer4j.fewshot;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.TransferRun;
import io.transfer4j.util.Progress;

/**
 * What a modality implements when its backbone can be tuned SetFit's way: contrastively on pairs
 * of labelled rows, through the one training loop. Texts do; the rest of the few-shot job (a head
 * on the tuned backbone's frozen features, held-out shots, the bundle) is {@link FewShot}'s.
 */
public interface ContrastiveTuning<D extends Labelled<D>, C extends RunSettings<C>> {
    /**
     * The backbone of {@code config} tuned on pairs of {@code shots}; the returned configuration
     * names the tuned backbone, which lives until the result is closed (a bundle copies it).
     */
    Tuned<C> contrastive(C config, D shots, LabelMap labels, SetFitConfig setFit, Progress progress);

    /** A tuned backbone: the configuration that reads it, what training did, and the folder it lives in. */
    record Tuned<C>(C config, TransferRun.Tuning tuning, AutoCloseable owner) implements AutoCloseable {
        @Override
        public void close() {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not remove the tuned encoder's folder", e);
            }
        }
    }
}
