package io.transfer4j.pipeline;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.data.Split;
import io.transfer4j.model.Classifier;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.TransferRun;

/**
 * The seam between the shared pipeline and one modality: only what truly differs per modality
 * sits behind it (the frozen encoder and its features, the trainable network and its batches,
 * augmentation, the scratch baseline). Splitting, the probe-versus-fine-tune choice of the
 * configured strategy, scoring, the paired test, the multi-seed guard and the bias audit are
 * the {@link Pipeline}'s, written once. A new modality is one class implementing this.
 *
 * @param <D> its rows
 * @param <M> its trained model
 * @param <C> its configuration record
 */
public interface Modality<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    /** "text", "image": recorded in every run. */
    String name();

    /**
     * The transferred model under {@code config.strategy()}: a head on frozen features for a
     * linear probe, else the backbone fine-tuned through the one training loop. Trained on
     * {@code split.train()}, selected on {@code split.validation()}; may score
     * {@code split.test()} itself when that is cheaper (features already extracted).
     */
    Trained<M> transfer(C config, Split<D> split, LabelMap labels, Context context);

    /**
     * The baseline with no pre-trained knowledge, on the same split with the same budget; null
     * when {@code config}'s transferred model is itself trained from fresh weights (pre-training a
     * built-in network), which a second fresh network would only repeat.
     */
    Trained<? extends Classifier<D>> scratch(C config, Split<D> split, LabelMap labels, Context context);

    /**
     * Seeds the guard repeats a run over unless told: 3 where a seed costs seconds, else 1 (the
     * verdict then rests on the paired test of the run's own split).
     */
    int defaultSeeds(C config);

    /**
     * Writes {@code run} as this modality's bundle in {@code dir} (atomically): its manifest and
     * backbone, and what every bundle holds ({@code Bundle.writeRun}). {@code configYaml} (may be
     * null) is the run's options as given.
     */
    void save(TransferRun<M, C> run, java.nio.file.Path dir, byte[] configYaml);

    /** The frozen features of {@code rows} under {@code config}'s backbone: what a linear probe reads, and what ranking scores. */
    float[][] frozenFeatures(C config, D rows, io.transfer4j.util.Progress progress);

    /**
     * This modality's model of {@code config}'s frozen backbone with a linear {@code head} (DJL's
     * logistic block) on its features as {@code standardizer} prepares them: how heads fitted
     * outside the pipeline (few-shot methods) become models that save, load and export like a
     * linear probe's. The model owns {@code head} and {@code owned} (the folder of a tuned backbone it
     * reads, removed when the model closes; null when none).
     */
    M frozenModel(C config, io.transfer4j.train.Standardizer standardizer, ai.djl.Model head, LabelMap labels,
            io.transfer4j.util.WorkDirectory owned);

    /**
     * What {@code --strategy auto} tries, cheapest first (a tie on validation keeps the earlier):
     * the strategies worth their cost for this modality.
     */
    java.util.List<io.transfer4j.train.Strategy> autoCandidates(C config);
}
