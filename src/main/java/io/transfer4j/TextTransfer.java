package io.transfer4j;

import io.transfer4j.run.RunConfig;
import io.transfer4j.run.ModelResult;
import io.transfer4j.run.TransferRun;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.baseline.ScratchBaseline;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Split;
import io.transfer4j.data.StratifiedSplitter;
import io.transfer4j.data.TextDataset;
import io.transfer4j.eval.BiasAudit;
import io.transfer4j.eval.GroupAudit;
import io.transfer4j.eval.Metrics;
import io.transfer4j.eval.PairedComparison;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.Inference;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.transfer4j.train.FitResult;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.train.Strategy;

/**
 * Text transfer by feature extraction: configure with the fluent setters (each returns a new
 * immutable configuration), then {@link #fit} a classifier or {@link #run} the full comparison
 * against a scratch baseline.
 */
public final class TextTransfer {
    private final RunConfig config;
    private final Progress progress;
    private final BackboneCatalogue catalogue;
    private final Checkpoints checkpoints;
    private final int seeds;

    TextTransfer(RunConfig config) {
        this(config, Progress.SILENT, null, Checkpoints.NONE, 0);
    }

    private TextTransfer(RunConfig config, Progress progress, BackboneCatalogue catalogue, Checkpoints checkpoints, int seeds) {
        this.config = config;
        this.progress = progress;
        this.catalogue = catalogue;
        this.checkpoints = checkpoints;
        this.seeds = seeds;
    }

    public RunConfig config() {
        return config;
    }

    public TextTransfer config(RunConfig c) {
        return new TextTransfer(c, progress, catalogue, checkpoints, seeds);
    }

    /** A catalogue id (see {@code BackboneCatalogue}) or a path to an .onnx sentence encoder. */
    public TextTransfer backbone(String idOrPath) {
        return config(config.withBackbone(idOrPath));
    }

    public TextTransfer head(HeadType head) {
        return config(config.withHead(head));
    }

    /** Tokens per encoder window; 0 means the backbone's own limit. */
    public TextTransfer maxLength(int tokens) {
        return config(config.withMaxLength(tokens));
    }

    /** Windows of max-length tokens read per long text; 1 truncates to the first window. */
    public TextTransfer maxWindows(int windows) {
        return config(config.withMaxWindows(windows));
    }

    public TextTransfer seed(long seed) {
        return config(config.withSeed(seed));
    }

    /** L2 strengths to choose from on the validation split; one value fixes it. */
    public TextTransfer l2(float... grid) {
        return config(config.withL2Grid(grid));
    }

    /**
     * How the backbone is used: {@code linear-probe} (the default: frozen features, cached) or a
     * fine-tuning strategy. Resets the fine-tuning learning rate to the strategy's default.
     */
    public TextTransfer strategy(Strategy s) {
        return config(config.withStrategy(s));
    }

    /** Epochs, batch, learning rate, optimizer and schedule for fine-tuning strategies. */
    public TextTransfer tuning(TrainConfig tc) {
        return config(config.withTuning(tc));
    }

    /** Where fine-tuning saves checkpoints, how often, and whether to continue from one. */
    public TextTransfer checkpoints(Checkpoints c) {
        return new TextTransfer(config, progress, catalogue, c, seeds);
    }

    public TextTransfer cache(boolean on) {
        return config(config.withCache(on));
    }

    public TextTransfer progress(Progress p) {
        return new TextTransfer(config, p, catalogue, checkpoints, seeds);
    }

    public TextTransfer catalogue(BackboneCatalogue c) {
        return new TextTransfer(config, progress, c, checkpoints, seeds);
    }

    /**
     * Trains a linear-probe classifier (frozen features and a head); a stratified validation part
     * is taken from {@code train} for early stopping. Fine-tuning strategies go through {@link #run}.
     */
    public ProbeClassifier fit(TextDataset train) {
        Split s = new StratifiedSplitter(config.validationFraction(), 0, config.seed()).split(train);
        return fit(s.train(), s.validation());
    }

    public ProbeClassifier fit(TextDataset train, TextDataset validation) {
        if (config.strategy().tunesBackbone()) {
            throw new io.transfer4j.util.UserException("fit() trains a linear probe; strategy " + config.strategy().kind().id()
                    + " fine-tunes the backbone: use run(...), which also trains the scratch baseline and returns the classifier");
        }
        train.requireTrainable();
        LabelMap labels = train.labelMap();
        validation.labelIndices(labels);
        FeatureExtractor fx = openExtractor();
        try {
            List<float[][]> f = extractAll(fx, List.of(train, validation));
            return fitHead(fx, labels, train, f.get(0), validation, f.get(1)).classifier;
        } catch (RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    /**
     * Seeds over which {@link #run(TextDataset)} compares transfer with scratch (the negative-transfer
     * guard: each seed its own split, mean gain and 95% interval); 1 = one run, judged by the paired
     * test on its split only; 0 = the strategy's default ({@link #guardSeeds}).
     */
    public TextTransfer seeds(int n) {
        if (n < 0) {
            throw new io.transfer4j.util.UserException("--seeds must be at least 1 (or 0 for the strategy's default); got " + n);
        }
        return new TextTransfer(config, progress, catalogue, checkpoints, n);
    }

    /**
     * The guard's seeds: as set, else 3 for a linear probe (the cached features make a seed cost
     * seconds) and 1 for fine-tuning strategies, whose extra seeds would triple the run; those
     * runs rest on the paired test of their own split.
     */
    public int guardSeeds() {
        return seeds > 0 ? seeds : config.strategy().tunesBackbone() ? 1 : 3;
    }

    /** Splits {@code data} into train/validation/test and runs transfer and scratch on it, repeated over {@link #guardSeeds}. */
    public TransferRun run(TextDataset data) {
        return guarded(data, null);
    }

    /** Uses {@code test} as the held-out set; {@code data} is split into train and validation only (per seed). */
    public TransferRun run(TextDataset data, TextDataset test) {
        return guarded(data, test);
    }

    private TransferRun guarded(TextDataset data, TextDataset test) {
        Split split;
        if (test == null) {
            split = new StratifiedSplitter(config.validationFraction(), config.testFraction(), config.seed()).split(data);
        } else {
            Split s = new StratifiedSplitter(config.validationFraction(), 0, config.seed()).split(data);
            split = new Split(s.train(), s.validation(), test);
        }
        TransferRun first = run(split);
        int n = guardSeeds();
        if (n <= 1) {
            return first;
        }
        try {
            return first.withGuard(NegativeTransferGuard.compare(seeds(1), data, test, first, n));
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }

    public TransferRun run(Split split) {
        long t0 = System.nanoTime();
        TextDataset train = split.train().requireTrainable();
        LabelMap labels = train.labelMap();
        split.test().labelIndices(labels);
        split.validation().labelIndices(labels);
        Transferred t = config.strategy().tunesBackbone() ? fineTune(split, labels) : probe(split, labels);
        try {
            long s0 = System.nanoTime();
            ScratchBaseline.Result sr = ScratchBaseline.fit(train, split.validation(), labels, config.seed(), progress);
            ModelResult scratch;
            try (var sc = sr.classifier()) {
                int[] pred = sc.predict(split.test().texts(), Progress.SILENT);
                scratch = new ModelResult("scratch:hashed-ngrams+linear", Metrics.compute(split.test().labelIndices(labels), pred,
                        labels), sr.fit().best(), (System.nanoTime() - s0) / 1_000_000, pred);
            }
            BiasAudit bias = split.test().grouped() ? audit(split, labels, t, scratch) : null;
            List<String> warnings = new ArrayList<>(t.warnings());
            if (bias != null) {
                warnings.addAll(bias.warnings());
            }
            int[] truth = split.test().labelIndices(labels);
            return new TransferRun(config, train.contentHash(), train.size(), split.validation().size(),
                    split.test().size(), labels.size(), t.result(), scratch, t.embedding(), t.tuning(), warnings, bias,
                    (System.nanoTime() - t0) / 1_000_000, t.classifier())
                    .withPaired(PairedComparison.of(truth, t.result().testPredictions(), scratch.testPredictions()));
        } catch (RuntimeException e) {
            t.classifier().close();
            throw e;
        }
    }

    private record Transferred(ProbeClassifier classifier, ModelResult result, TransferRun.EmbeddingStats embedding,
            TransferRun.Tuning tuning, List<String> warnings) {}

    /**
     * Per-group metrics of scratch, linear probe and (for a fine-tuning strategy) the fine-tuned
     * model on the held-out texts. A fine-tuning run trains the linear probe too, for the comparison.
     */
    private BiasAudit audit(Split split, LabelMap labels, Transferred t, ModelResult scratch) {
        int[] truth = split.test().labelIndices(labels);
        List<String> groups = split.test().groups();
        List<GroupAudit> transferred = new ArrayList<>();
        if (config.strategy().tunesBackbone()) {
            Transferred lp = config(config.withStrategy(Strategy.parse("linear-probe"))).probe(split, labels);
            lp.classifier().close();
            transferred.add(GroupAudit.of(lp.result().name(), truth, lp.result().testPredictions(), groups, labels));
        }
        transferred.add(GroupAudit.of(t.result().name(), truth, t.result().testPredictions(), groups, labels));
        return BiasAudit.of(GroupAudit.of(scratch.name(), truth, scratch.testPredictions(), groups, labels), transferred);
    }

    private Transferred fineTune(Split split, LabelMap labels) {
        BackboneSpec spec = resolveSpec();
        BackboneFiles files = BackboneLocator.standard().locate(spec);
        FineTuner.Tuned t = FineTuner.run(config, spec, files, labels, split.train(), split.validation(), split.test(),
                checkpoints, progress);
        return new Transferred(t.classifier(), t.result(), t.embedding(), t.tuning(), List.of());
    }

    private Transferred probe(Split split, LabelMap labels) {
        int[] testY = split.test().labelIndices(labels);
        FeatureExtractor fx = openExtractor();
        FittedProbe probe = null;
        try {
            long e0 = System.nanoTime();
            List<float[][]> f = extractAll(fx, List.of(split.train(), split.validation(), split.test()));
            long extractMillis = (System.nanoTime() - e0) / 1_000_000;
            List<String> warnings = separabilityWarning(fx.spec().id(), f.get(0), split.train().labelIndices(labels));
            probe = fitHead(fx, labels, split.train(), f.get(0), split.validation(), f.get(1));
            int[] pred = Inference.argMax(probe.classifier.probabilitiesOfFeatures(f.get(2)));
            ModelResult transfer = new ModelResult("transfer:" + fx.spec().id() + "+" + config.head().name().toLowerCase(Locale.ROOT),
                    Metrics.compute(testY, pred, labels), probe.fit.best(),
                    probe.fit.fit().grid().stream().mapToLong(FitResult::millis).sum(), pred);
            FeatureExtractor.Stats st = fx.stats();
            TransferRun.EmbeddingStats es = new TransferRun.EmbeddingStats(fx.spec().id(), fx.files().sha256(),
                    st.encoded(), st.cacheHits(), st.truncated(), st.encodeMillis(), extractMillis);
            return new Transferred(probe.classifier, transfer, es, null, warnings);
        } catch (RuntimeException e) {
            if (probe != null) {
                probe.classifier.close(); // closes the extractor too
            } else {
                fx.close();
            }
            throw e;
        }
    }

    /**
     * Before the head trains: if the frozen features' leave-one-out 10-NN accuracy barely beats
     * always predicting the majority class, the backbone transfers poorly to these labels.
     */
    static List<String> separabilityWarning(String backbone, float[][] features, int[] y) {
        if (features.length < 20 || features.length > 20_000) {
            return List.of(); // too few to judge; too many to check in seconds
        }
        double knn = io.transfer4j.select.KnnProxy.accuracy(features, y, 10);
        int[] counts = new int[java.util.Arrays.stream(y).max().orElse(0) + 1];
        for (int v : y) {
            counts[v]++;
        }
        double majority = (double) java.util.Arrays.stream(counts).max().orElse(0) / y.length;
        if (knn >= majority + 0.05) {
            return List.of();
        }
        return List.of(String.format(Locale.ROOT, "low transferability: %s's frozen features give a 10-NN accuracy of %.1f%% on the "
                + "training texts, against %.1f%% for always predicting the majority class; expect negative transfer, and try "
                + "another backbone (./transfer4j rank / advise) or a fine-tuning strategy", backbone, 100 * knn, 100 * majority));
    }

    private record FittedProbe(ProbeClassifier classifier, LinearProbe.Fitted fit) {}

    private FittedProbe fitHead(FeatureExtractor fx, LabelMap labels, TextDataset train, float[][] trainF,
            TextDataset validation, float[][] valF) {
        LinearProbe probe = new LinearProbe(config.head(), config.hidden(), config.headTraining(), config.l2Grid());
        LinearProbe.Fitted fit = probe.fit("head", labels.size(), trainF, train.labelIndices(labels), valF,
                validation.labelIndices(labels), progress);
        return new FittedProbe(new ProbeClassifier(fx, fit.standardizer(), config.head(), config.hidden(), fit.model(), labels), fit);
    }

    /** Embeds several datasets in one pass, so length buckets span them all. */
    private List<float[][]> extractAll(FeatureExtractor fx, List<TextDataset> parts) {
        List<String> all = new ArrayList<>();
        for (TextDataset d : parts) {
            all.addAll(d.texts());
        }
        float[][] f = fx.extract(all, progress);
        List<float[][]> out = new ArrayList<>();
        int at = 0;
        for (TextDataset d : parts) {
            out.add(java.util.Arrays.copyOfRange(f, at, at + d.size()));
            at += d.size();
        }
        return out;
    }

    private BackboneSpec resolveSpec() {
        BackboneCatalogue cat = catalogue != null ? catalogue : BackboneCatalogue.load();
        return io.transfer4j.backbone.LayerCut.resolve(cat, config.backbone());
    }

    private FeatureExtractor openExtractor() {
        BackboneSpec spec = resolveSpec();
        int maxLength = config.maxLength() > 0 ? config.maxLength() : spec.maxLength();
        if (maxLength > spec.maxLength()) {
            throw new io.transfer4j.util.UserException("--max-length " + maxLength + " exceeds what " + spec.id()
                    + " supports (" + spec.maxLength() + " tokens); use at most " + spec.maxLength());
        }
        BackboneFiles files = BackboneLocator.standard().locate(spec);
        return FeatureExtractor.of(spec, files, maxLength, config.maxWindows(), config.cache());
    }
}
