package io.transfer4j.pipeline;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.data.Split;
import io.transfer4j.data.StratifiedSplitter;
import io.transfer4j.eval.BiasAudit;
import io.transfer4j.eval.GroupAudit;
import io.transfer4j.eval.Metrics;
import io.transfer4j.eval.PairedComparison;
import io.transfer4j.eval.SeedComparison;
import io.transfer4j.model.Classifier;
import io.transfer4j.run.ModelResult;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.StrategyChoice;
import io.transfer4j.select.BackboneScore;
import io.transfer4j.select.FeatureScores;
import io.transfer4j.run.TransferRun;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.train.Inference;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one transfer pipeline, for every modality: split the data, train the transferred model
 * and the scratch baseline on the same split with the same budget, score both on the same
 * held-out rows, test them paired, audit them per group, and repeat over seeds (the
 * negative-transfer guard). What differs per modality is its {@link Modality}; everything here is
 * written once. Immutable: each setter returns a new pipeline.
 *
 * <pre>{@code
 * try (var run = Transfer.text().backbone("bge-small-q").seed(7).run(data)) {
 *     System.out.println(run.transfer().test().accuracy() + " vs scratch " + run.scratch().test().accuracy());
 * }
 * }</pre>
 *
 * @param <D> the modality's rows
 * @param <M> its trained model
 * @param <C> its configuration record
 */
public final class Pipeline<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    private final Modality<D, M, C> modality;
    private final C config;
    private final Context context;
    private final int seeds;

    public Pipeline(Modality<D, M, C> modality, C config) {
        this(modality, config, Context.SILENT, 0);
    }

    private Pipeline(Modality<D, M, C> modality, C config, Context context, int seeds) {
        this.modality = modality;
        this.config = config;
        this.context = context;
        this.seeds = seeds;
    }

    public C config() {
        return config;
    }

    public Modality<D, M, C> modality() {
        return modality;
    }

    /** Where this pipeline reports progress and saves checkpoints. */
    public Context context() {
        return context;
    }

    /** This pipeline with another configuration of the same modality. */
    public Pipeline<D, M, C> config(C c) {
        return new Pipeline<>(modality, c, context, seeds);
    }

    /** This pipeline with its configuration changed, e.g. {@code configure(c -> c.toBuilder().maxLength(128).build())}. */
    public Pipeline<D, M, C> configure(UnaryOperator<C> change) {
        return config(change.apply(config));
    }

    /** The backbone: a catalogue id, an {@code .onnx} file, a bundle folder or a built-in architecture. */
    public Pipeline<D, M, C> backbone(String reference) {
        return config(config.withBackbone(reference));
    }

    /** How the backbone is used: {@code linear-probe} (frozen features) or a fine-tuning strategy. */
    public Pipeline<D, M, C> strategy(Strategy s) {
        return config(config.withStrategy(s));
    }

    public Pipeline<D, M, C> seed(long seed) {
        return config(config.withSeed(seed));
    }

    public Pipeline<D, M, C> progress(Progress p) {
        return new Pipeline<>(modality, config, new Context(p, context.checkpoints()), seeds);
    }

    /** Where fine-tuning saves checkpoints, how often, and whether to continue from one. */
    public Pipeline<D, M, C> checkpoints(Checkpoints c) {
        return new Pipeline<>(modality, config, new Context(context.progress(), c), seeds);
    }

    /**
     * Seeds over which {@link #run(Labelled)} compares transfer with scratch (each seed its own
     * split; mean gain and 95% interval); 1 = one run, judged by the paired test on its split
     * only; 0 = the modality's default for the strategy ({@link #guardSeeds}).
     */
    public Pipeline<D, M, C> seeds(int n) {
        if (n < 0) {
            throw new UserException("--seeds must be at least 1 (or 0 for the strategy's default); got " + n);
        }
        return new Pipeline<>(modality, config, context, n);
    }

    /** The guard's seeds: as set, else the modality's default for this strategy. */
    public int guardSeeds() {
        return seeds > 0 ? seeds : modality.defaultSeeds(config);
    }

    /** Splits {@code data} into train/validation/test and runs transfer and scratch on it, repeated over {@link #guardSeeds}. */
    public TransferRun<M, C> run(D data) {
        return guarded(data, null);
    }

    /** Uses {@code test} as the held-out set; {@code data} is split into train and validation only (per seed). */
    public TransferRun<M, C> run(D data, D test) {
        return guarded(data, test);
    }

    private Split<D> split(D data, D test) {
        if (test == null) {
            return new StratifiedSplitter(config.validationFraction(), config.testFraction(), config.seed()).split(data);
        }
        Split<D> s = new StratifiedSplitter(config.validationFraction(), 0, config.seed()).split(data);
        return new Split<>(s.train(), s.validation(), test);
    }

    private TransferRun<M, C> guarded(D data, D test) {
        TransferRun<M, C> first = run(split(data, test));
        int n = guardSeeds();
        if (n <= 1 || first.scratch() == null) {
            return first;
        }
        try {
            return first.withGuard(repeat(data, test, first, n));
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }

    /**
     * The negative-transfer guard: the run and its scratch baseline repeated over further seeds
     * (same configuration and budget, a fresh split per seed), so "transfer helped" is a claim
     * with a confidence interval rather than one lucky split.
     */
    private SeedComparison repeat(D data, D test, TransferRun<M, C> first, int n) {
        List<Long> used = new ArrayList<>(List.of(config.seed()));
        List<Double> t = new ArrayList<>(List.of(first.transfer().test().accuracy()));
        List<Double> s = new ArrayList<>(List.of(first.scratch().test().accuracy()));
        for (int i = 1; i < n; i++) {
            Pipeline<D, M, C> again = seed(config.seed() + i);
            try (TransferRun<M, C> r = again.run(again.split(data, test))) {
                used.add(again.config.seed());
                t.add(r.transfer().test().accuracy());
                s.add(r.scratch().test().accuracy());
            }
        }
        return SeedComparison.of(used, t, s);
    }

    /** Saves {@code run} (made by this pipeline) as its modality's bundle; {@code configYaml} may be null. */
    public void save(TransferRun<M, C> run, java.nio.file.Path dir, byte[] configYaml) {
        modality.save(run, dir, configYaml);
    }

    /**
     * How well this pipeline's backbone suits {@code data}, from its frozen features alone (LogME,
     * H-score, 10-NN) and, given {@code test}, a linear probe's test accuracy: ranking, for any modality.
     */
    public BackboneScore score(D data, D test) {
        data.requireTrainable();
        LabelMap labels = data.labelMap();
        int[] testY = test == null ? null : test.labelIndices(labels);
        long t0 = System.nanoTime();
        float[][] f = modality.frozenFeatures(config, data, context.progress());
        float[][] tf = test == null ? null : modality.frozenFeatures(config, test, context.progress());
        return FeatureScores.score(config.backbone(), f, data.labels(), labels, tf, testY, config.seed(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * What {@code --strategy auto} would choose on {@code data} (split into train and validation
     * by the config's seed, no test part), without keeping a model: advice, for any modality.
     */
    public StrategyChoice choose(D data) {
        Split<D> s = new StratifiedSplitter(config.validationFraction(), 0, config.seed()).split(data);
        // the chosen model is scored on nothing: its validation part doubles as the unused test slot
        Split<D> split = new Split<>(s.train(), s.validation(), s.validation());
        LabelMap labels = s.train().labelMap();
        try (Trained<M> t = StrategySelection.transfer(modality, config.withStrategy(Strategy.of(Strategy.Kind.AUTO)), split, labels,
                context)) {
            return t.choice();
        }
    }

    /** Transfer and scratch on a given split, without the guard; the run records the hash of the rows it trained on. */
    public TransferRun<M, C> run(Split<D> split) {
        long t0 = System.nanoTime();
        D train = split.train().requireTrainable();
        LabelMap labels = train.labelMap();
        int[] truth = split.test().labelIndices(labels);
        split.validation().labelIndices(labels);
        Trained<M> transfer = StrategySelection.transfer(modality, config, split, labels, context);
        try {
            ModelResult tr = score(transfer, split.test(), truth, labels);
            ModelResult sc = null;
            try (Trained<? extends Classifier<D>> scratch = modality.scratch(config, split, labels, context)) {
                if (scratch != null) {
                    sc = score(scratch, split.test(), truth, labels);
                }
            }
            BiasAudit bias = split.test().grouped() && sc != null ? audit(split, labels, truth, tr, sc, probed(transfer)) : null;
            List<String> warnings = new ArrayList<>(transfer.warnings());
            if (bias != null) {
                warnings.addAll(bias.warnings());
            }
            PairedComparison paired = sc == null ? null : PairedComparison.of(truth, tr.testPredictions(), sc.testPredictions());
            return new TransferRun<>(modality.name(), config, train.contentHash(), train.size(), split.validation().size(), split.test().size(),
                    labels.names(), tr, sc, transfer.features(), transfer.tuning(), warnings, bias, (System.nanoTime() - t0) / 1_000_000,
                    transfer.model(), null, paired, transfer.choice());
        } catch (RuntimeException e) {
            transfer.close(); // the transferred model's native memory and its temporary files
            throw e;
        }
    }

    /** Whether the transferred model is itself the linear probe (asked for, or what auto chose). */
    private boolean probed(Trained<M> transfer) {
        return !config.strategy().tunesBackbone()
                || (transfer.choice() != null && transfer.choice().chosen().equals(Strategy.Kind.LINEAR_PROBE.id()));
    }

    private ModelResult score(Trained<?> t, D test, int[] truth, LabelMap labels) {
        int[] pred = t.testPredictions();
        if (pred == null) {
            @SuppressWarnings("unchecked")
            Classifier<D> model = (Classifier<D>) t.model();
            pred = Inference.argMax(model.probabilities(test, context.progress()));
        }
        return new ModelResult(t.name(), Metrics.compute(truth, pred, labels), t.fit(), t.trainMillis(), pred,
                ModelResult.misclassified(truth, pred, labels, test::rowName));
    }

    /**
     * Per-group metrics of scratch, the linear probe and (for a fine-tuning strategy) the
     * fine-tuned model on the held-out rows. A fine-tuning run trains the linear probe too, so the
     * audit shows what fine-tuning changed.
     */
    private BiasAudit audit(Split<D> split, LabelMap labels, int[] truth, ModelResult transfer, ModelResult scratch, boolean probed) {
        List<String> groups = split.test().groups();
        List<GroupAudit> transferred = new ArrayList<>();
        if (!probed) {
            C probe = config.withStrategy(Strategy.of(Strategy.Kind.LINEAR_PROBE));
            try (Trained<M> lp = modality.transfer(probe, split, labels, context)) {
                ModelResult r = score(lp, split.test(), truth, labels);
                transferred.add(GroupAudit.of(r.name(), truth, r.testPredictions(), groups, labels));
            }
        }
        transferred.add(GroupAudit.of(transfer.name(), truth, transfer.testPredictions(), groups, labels));
        return BiasAudit.of(GroupAudit.of(scratch.name(), truth, scratch.testPredictions(), groups, labels), transferred);
    }
}
