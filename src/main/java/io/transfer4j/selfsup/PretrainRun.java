package io.transfer4j.selfsup;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.transfer4j.data.Labelled;
import io.transfer4j.fewshot.TunedBackbone;
import io.transfer4j.model.Classifier;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.TransferRun;
import io.transfer4j.train.EpochLog;
import java.util.List;

/**
 * One self-supervised pre-training run, as {@code pretrain.json} records it: what trained on which
 * rows with which seed, the NT-Xent curve, and the time it took. Holds the trained backbone until
 * closed.
 *
 * @param from the backbone training started from (a fresh architecture or a bundle)
 * @param backbone the id the trained backbone carries
 * @param dataSha256 the unlabelled images' content hash
 * @param validationAccuracy share of held-out views whose nearest other view is their twin, at the epoch kept
 */
public record PretrainRun<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>>(String method, String modality,
        String from, String backbone, String dataSource, String dataSha256, int trainRows, int validationRows, long seed,
        ContrastiveConfig settings, TransferRun.Tuning tuning, int epochsRun, int bestEpoch, double validationLoss,
        double validationAccuracy, List<EpochLog> history, long millis, @JsonIgnore TunedBackbone<D, M, C> tuned) implements AutoCloseable {
    @Override
    public void close() {
        tuned.close();
    }
}
