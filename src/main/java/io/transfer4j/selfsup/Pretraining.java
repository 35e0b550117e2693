package io.transfer4j.selfsup;

import io.transfer4j.data.Labelled;
import io.transfer4j.fewshot.TunedBackbone;
import io.transfer4j.model.Classifier;
import io.transfer4j.pipeline.Modality;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.run.RunSettings;
import io.transfer4j.util.Json;
import io.transfer4j.util.Permutations;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Self-supervised pre-training through the shared pipeline: the pipeline's backbone (a fresh
 * architecture, or a bundle to continue from) trained by SimCLR on unlabelled rows, some held out
 * (seeded) to validate each epoch, then saved as a backbone that later runs transfer from.
 *
 * <pre>{@code
 * var pre = Pretraining.of(Transfer.image(backbone, config));
 * try (var run = pre.run(unlabelledImages)) {
 *     pre.save(run, Path.of("simclr"), null);   // then: train --backbone simclr ...
 * }
 * }</pre>
 */
public final class Pretraining<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    public static final String SUMMARY = io.transfer4j.bundle.Bundle.PRETRAIN;

    private final Pipeline<D, M, C> pipeline;
    private ContrastiveConfig config = ContrastiveConfig.DEFAULT;
    private Consumer<String> log = s -> {};

    private Pretraining(Pipeline<D, M, C> pipeline) {
        this.pipeline = pipeline;
    }

    public static <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> Pretraining<D, M, C> of(Pipeline<D, M, C> p) {
        return new Pretraining<>(p);
    }

    public Pretraining<D, M, C> config(ContrastiveConfig c) {
        this.config = c;
        return this;
    }

    /** Where the one-line summary goes (the CLI prints it; the default drops it). */
    public Pretraining<D, M, C> log(Consumer<String> sink) {
        this.log = sink;
        return this;
    }

    /**
     * SimCLR on {@code unlabelled}: a seeded share (a tenth, at most {@link ContrastiveConfig#validation})
     * is held out, the rest trains. Labels, when the rows have any, are never read.
     */
    public PretrainRun<D, M, C> run(D unlabelled) {
        long t0 = System.nanoTime();
        SelfSupervised<D, M, C> modality = selfSupervised();
        int n = unlabelled.size();
        int held = Math.min(config.validation(), n / 10);
        if (held < 2) {
            throw new UserException(unlabelled.source() + " has " + n + " " + unlabelled.rowNoun() + "s; contrastive pre-training needs "
                    + "at least 20 (a tenth is held out to validate on), and thousands to learn useful features");
        }
        long seed = pipeline.config().seed();
        int[] order = Permutations.shuffled(n, new Random(seed));
        int[] validation = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(validation);
        Arrays.sort(train);
        D tr = unlabelled.subset(train, "#simclr-train");
        D va = unlabelled.subset(validation, "#simclr-validation");
        TunedBackbone<D, M, C> tuned = modality.pretrainContrastive(pipeline.config(), tr, va, config, pipeline.context());
        try {
            return record(unlabelled, tuned, tr.size(), va.size(), seed, t0);
        } catch (RuntimeException e) {
            tuned.close();
            throw e;
        }
    }

    private PretrainRun<D, M, C> record(D unlabelled, TunedBackbone<D, M, C> tuned, int trainRows, int validationRows, long seed, long t0) {
        var fit = tuned.fit();
        PretrainRun<D, M, C> run = new PretrainRun<>("simclr", pipeline.modality().name(), pipeline.config().backbone(),
                tuned.config().backbone(), unlabelled.source(), unlabelled.contentHash(), trainRows, validationRows, seed, config,
                tuned.tuning(), fit.epochs(), fit.bestEpoch(), fit.bestValidationLoss(), fit.bestValidationAccuracy(), fit.history(),
                (System.nanoTime() - t0) / 1_000_000, tuned);
        log.accept(String.format(java.util.Locale.ROOT, "simclr: %d epoch%s on %d %ss (%d held out), kept epoch %d: validation NT-Xent %.4f, "
                + "twin found among %d views %.1f%%, %.1f s per epoch", run.epochsRun(), run.epochsRun() == 1 ? "" : "s", run.trainRows(), unlabelled.rowNoun(),
                run.validationRows(), run.bestEpoch(), run.validationLoss(), 2 * Math.min(config.batchSize(), validationRows) - 1,
                100 * run.validationAccuracy(), tuned.tuning().millisPerEpoch() / 1000.0));
        return run;
    }

    /** Writes the trained backbone as a bundle (atomically), with {@value #SUMMARY}. */
    public void save(PretrainRun<D, M, C> run, Path dir, byte[] configYaml) {
        selfSupervised().saveBackbone(run.tuned(), dir, Json.bytes(run), configYaml);
    }

    private SelfSupervised<D, M, C> selfSupervised() {
        Modality<D, M, C> modality = pipeline.modality();
        if (!(modality instanceof SelfSupervised<?, ?, ?>)) {
            throw new UserException("self-supervised pre-training trains image backbones; " + modality.name()
                    + " has none: use a pre-trained backbone from the catalogue");
        }
        @SuppressWarnings("unchecked")
        SelfSupervised<D, M, C> s = (SelfSupervised<D, M, C>) modality;
        return s;
    }
}
