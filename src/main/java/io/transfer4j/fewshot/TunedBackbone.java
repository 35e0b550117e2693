package io.transfer4j.fewshot;

import io.transfer4j.data.Labelled;
import io.transfer4j.model.Classifier;
import io.transfer4j.pipeline.Modality;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.TransferRun;
import io.transfer4j.train.FitResult;
import io.transfer4j.util.WorkDirectory;

/**
 * A backbone a few-shot job trained (SetFit's contrastive stage, meta-training): the modality and
 * configuration that read it, what training did, and the folder it lives in until the model made
 * from it (or, on failure, this) is closed.
 */
public record TunedBackbone<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>>(Modality<D, M, C> modality, C config,
        TransferRun.Tuning tuning, FitResult fit, WorkDirectory folder) implements AutoCloseable {
    @Override
    public void close() {
        folder.close();
    }
}
