package io.transfer4j.adapt;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.data.Split;
import io.transfer4j.data.StratifiedSplitter;
import io.transfer4j.eval.Metrics;
import io.transfer4j.eval.PairedComparison;
import io.transfer4j.eval.SeedComparison;
import io.transfer4j.model.Classifier;
import io.transfer4j.pipeline.Modality;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.pipeline.Trained;
import io.transfer4j.run.ModelResult;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.TransferRun;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Transductive transfer on any modality that is {@link DomainAdaptable}: labelled source rows,
 * unlabelled target rows, and a model for the target. Every run also trains source-only on the
 * same splits, seeds and budget; the domain shift is measured first on the backbone's frozen
 * features; each trained model's target risk is estimated without target labels by
 * {@link DeepEmbeddedValidation}, which is what {@link Method#AUTO} chooses by. Labelled target
 * test rows, when given, are only scored on (after every choice is made). Immutable.
 *
 * <pre>{@code
 * var adapt = Adaptation.of(Transfer.image(backbone, config)).method(Method.DANN);
 * try (var run = adapt.run(mnist, unlabelledDigits, null)) {
 *     System.out.println(run.shift().describe() + " -> " + run.chosen());
 *     adapt.save(run, Path.of("adapted"), null);
 * }
 * }</pre>
 */
public final class Adaptation<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    /** What {@link #save} writes next to the bundle: every trial, the shift, the choice and the verdict. */
    public static final String ADAPT_JSON = "adapt.json";

    private final Pipeline<D, M, C> pipeline;
    private final AdaptConfig config;
    private final java.util.function.Consumer<String> log;

    private Adaptation(Pipeline<D, M, C> pipeline, AdaptConfig config, java.util.function.Consumer<String> log) {
        this.pipeline = pipeline;
        this.config = config;
        this.log = log;
    }

    public static <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> Adaptation<D, M, C> of(
            Pipeline<D, M, C> pipeline) {
        return new Adaptation<>(pipeline, AdaptConfig.DEFAULT, line -> {});
    }

    /** Where the run reports what it found as it goes (the shift before training, each trial's scores); silent by default. */
    public Adaptation<D, M, C> log(java.util.function.Consumer<String> lines) {
        return new Adaptation<>(pipeline, config, lines);
    }

    public AdaptConfig config() {
        return config;
    }

    public Adaptation<D, M, C> config(AdaptConfig c) {
        return new Adaptation<>(pipeline, c, log);
    }

    public Adaptation<D, M, C> configure(UnaryOperator<AdaptConfig.Builder> change) {
        return config(change.apply(config.toBuilder()).build());
    }

    public Adaptation<D, M, C> method(Method m) {
        return configure(b -> b.method(m));
    }

    /**
     * Adapts from {@code source} (labelled) to {@code target} (labels never read) with the configured
     * method, or every method under auto; {@code targetTest} (may be null) is labelled target data
     * scored on for the report only. Close the run unless its model is kept.
     */
    public AdaptRun<M, C> run(D source, D target, D targetTest) {
        long t0 = System.nanoTime();
        Modality<D, M, C> modality = pipeline.modality();
        if (!(modality instanceof DomainAdaptable<?, ?, ?>)) {
            throw new UserException("domain adaptation is not available for " + modality.name() + " data; adapt texts or images");
        }
        @SuppressWarnings("unchecked")
        DomainAdaptable<D, M, C> da = (DomainAdaptable<D, M, C>) modality;
        source.requireTrainable();
        if (target.size() < 4) {
            throw new UserException("the target domain " + target.source() + " has " + target.size()
                    + " rows; adaptation needs its unlabelled rows (at least 4, better hundreds)");
        }
        LabelMap labels = source.labelMap();
        int[] testY = targetTest == null ? null : targetTest.labelIndices(labels);
        C base = pipeline.config();
        List<Method> methods = methods(da, base);
        Progress progress = pipeline.context().progress();

        DomainShift shift = DomainShift.measure("frozen " + base.backbone(), modality.frozenFeatures(base, sample(source, base.seed()),
                progress), modality.frozenFeatures(base, sample(target, base.seed() + 1), progress), base.seed(), progress);
        log.accept(shift.describe());

        List<AdaptRun.Trial> trials = new ArrayList<>();
        Map<Method, Trained<M>> first = new LinkedHashMap<>();
        Map<Method, int[]> firstPredictions = new LinkedHashMap<>();
        Split<D> firstSplit = null;
        try {
            for (int i = 0; i < config.seeds(); i++) {
                long seed = base.seed() + i;
                C cfg = base.withSeed(seed);
                Split<D> split = new StratifiedSplitter(base.validationFraction(), base.testFraction(), seed).split(source);
                if (i == 0) {
                    firstSplit = split;
                }
                for (Method m : methods) {
                    Trained<M> t = da.adapt(cfg, split, target, m, config, pipeline.context());
                    try {
                        double sourceAcc = t.model().evaluate(split.test(), progress).accuracy();
                        int[] pred = targetTest == null ? null : t.model().predict(targetTest, progress);
                        double targetAcc = pred == null ? Double.NaN : Metrics.compute(testY, pred, labels).accuracy();
                        LabelFree lf = labelFree(da, t.model(), split, target, labels, seed, progress);
                        trials.add(new AdaptRun.Trial(m.id(), seed, sourceAcc, targetAcc, lf, t.trainMillis()));
                        log.accept(String.format(java.util.Locale.ROOT, "%s seed %d: source test %.1f%%, bound %.3f (source error %.3f, "
                                + "proxy A-distance %.2f), DEV risk %.3f%s", m.id(), seed, 100 * sourceAcc, lf.bound(), lf.sourceError(),
                                lf.proxyADistance(), lf.dev().risk(), pred == null ? "" : String.format(java.util.Locale.ROOT,
                                        ", target test %.1f%%", 100 * targetAcc)));
                        if (i == 0) {
                            first.put(m, t);
                            firstPredictions.put(m, pred);
                            t = null;
                        }
                    } finally {
                        if (t != null) {
                            t.close();
                        }
                    }
                }
            }
            return assemble(da, base, labels, shift, methods, trials, first, firstPredictions, firstSplit, targetTest, testY, t0);
        } finally {
            first.values().forEach(Trained::close);
        }
    }

    private List<Method> methods(DomainAdaptable<D, M, C> da, C base) {
        List<Method> available = da.methods(base);
        if (config.method() == Method.AUTO) {
            return available;
        }
        if (!available.contains(config.method())) {
            throw new UserException(da.unavailable(base, config.method()));
        }
        return config.method() == Method.SOURCE_ONLY ? List.of(Method.SOURCE_ONLY) : List.of(Method.SOURCE_ONLY, config.method());
    }

    /** At most {@link DomainClassifier#MAX_ROWS} rows, seeded: what the shift is measured on. */
    private D sample(D rows, long seed) {
        if (rows.size() <= DomainClassifier.MAX_ROWS) {
            return rows;
        }
        int[] order = io.transfer4j.util.Permutations.shuffled(rows.size(), new java.util.Random(seed));
        return rows.subset(java.util.Arrays.copyOf(order, DomainClassifier.MAX_ROWS), " (sample)");
    }

    /** The model's label-free estimates: DEV and the bound, both from its own features of source and target rows. */
    private LabelFree labelFree(DomainAdaptable<D, M, C> da, M model, Split<D> split, D target, LabelMap labels, long seed,
            Progress progress) {
        float[][] train = da.modelFeatures(model, sample(split.train(), seed + 2), progress);
        float[][] val = da.modelFeatures(model, split.validation(), progress);
        float[][] tgt = da.modelFeatures(model, sample(target, seed + 3), progress);
        float[][] p = model.probabilities(split.validation(), progress);
        int[] y = split.validation().labelIndices(labels);
        double[] loss = new double[y.length];
        int wrong = 0;
        for (int i = 0; i < y.length; i++) {
            loss[i] = -Math.log(Math.max(p[i][y[i]], 1e-12));
            wrong += io.transfer4j.train.Inference.argMax(p[i]) == y[i] ? 0 : 1;
        }
        DeepEmbeddedValidation dev = DeepEmbeddedValidation.estimate(train, val, tgt, loss, seed, progress);
        double pad = DomainShift.measure("model", train, tgt, seed + 4, progress).proxyADistance();
        return LabelFree.of(dev, (double) wrong / y.length, pad);
    }

    private AdaptRun<M, C> assemble(DomainAdaptable<D, M, C> da, C base, LabelMap labels, DomainShift shift, List<Method> methods,
            List<AdaptRun.Trial> trials, Map<Method, Trained<M>> first, Map<Method, int[]> firstPredictions, Split<D> split, D targetTest,
            int[] testY, long t0) {
        boolean labelled = targetTest != null;
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < config.seeds(); i++) {
            seeds.add(base.seed() + i);
        }
        List<AdaptRun.Summary> summaries = new ArrayList<>();
        Method chosen = null;
        double bestRisk = Double.POSITIVE_INFINITY;
        Method oracle = null;
        double bestTarget = Double.NEGATIVE_INFINITY;
        for (Method m : methods) {
            List<AdaptRun.Trial> mine = trials.stream().filter(t -> t.method().equals(m.id())).toList();
            double risk = mine.stream().mapToDouble(t -> t.labelFree().score(config.selection())).average().orElse(Double.NaN);
            double dev = mine.stream().mapToDouble(t -> t.labelFree().dev().risk()).average().orElse(Double.NaN);
            double bound = mine.stream().mapToDouble(t -> t.labelFree().bound()).average().orElse(Double.NaN);
            double target = mine.stream().mapToDouble(AdaptRun.Trial::targetAccuracy).average().orElse(Double.NaN);
            SeedComparison gain = labelled && seeds.size() >= 2 && m != Method.SOURCE_ONLY
                    ? SeedComparison.of(seeds, accuracies(trials, m), accuracies(trials, Method.SOURCE_ONLY)) : null;
            summaries.add(new AdaptRun.Summary(m.id(), mine.stream().mapToDouble(AdaptRun.Trial::sourceAccuracy).average().orElse(0),
                    target, risk, dev, bound, (long) mine.stream().mapToLong(AdaptRun.Trial::millis).average().orElse(0), gain));
            if (risk < bestRisk) {
                bestRisk = risk;
                chosen = m;
            }
            if (labelled && target > bestTarget) {
                bestTarget = target;
                oracle = m;
            }
        }
        if (config.method() != Method.AUTO) {
            chosen = config.method();
        }
        String selection = config.method() == Method.AUTO
                ? "auto: the method of lowest " + config.selection().description() + "; target labels not read"
                : "given: " + chosen.id() + " (its label-free estimates are reported; target labels not read)";
        SeedComparison comparison = null;
        PairedComparison paired = null;
        String verdict;
        Trained<M> model = first.get(chosen);
        Trained<M> sourceOnly = first.get(Method.SOURCE_ONLY);
        if (chosen == Method.SOURCE_ONLY) {
            verdict = "source-only was kept: no adaptation method was estimated to lower the target risk";
        } else if (!labelled) {
            double so = summaries.get(methods.indexOf(Method.SOURCE_ONLY)).estimatedRisk();
            verdict = String.format(java.util.Locale.ROOT, "no labelled target test rows: estimated target risk %.3f against "
                    + "source-only's %.3f (" + config.selection().id() + "; give --target-test to measure the gain)", bestRiskOf(summaries, chosen), so);
        } else if (seeds.size() >= 2) {
            comparison = SeedComparison.of(seeds, accuracies(trials, chosen), accuracies(trials, Method.SOURCE_ONLY));
            verdict = switch (comparison.verdict()) {
                case POSITIVE_TRANSFER -> "adaptation helped";
                case NEGATIVE_TRANSFER -> "adaptation hurt";
                default -> "adaptation did not help significantly";
            } + String.format(java.util.Locale.ROOT, ": %+.1f points on the target test rows over source-only (95%% CI %+.1f to %+.1f, "
                    + "%d seeds)", 100 * comparison.meanGain(), 100 * comparison.gainLow95(), 100 * comparison.gainHigh95(), seeds.size());
        } else {
            paired = PairedComparison.of(testY, firstPredictions.get(chosen), firstPredictions.get(Method.SOURCE_ONLY));
            verdict = String.format(java.util.Locale.ROOT, "one seed: %s against source-only on the same %d target test rows "
                    + "(paired, McNemar): %+.1f points, 95%% CI %+.1f to %+.1f, p = %.3g", chosen.id(), paired.examples(),
                    100 * paired.gain(), 100 * paired.gainLow95(), 100 * paired.gainHigh95(), paired.pValue());
        }
        ModelResult transfer = result(model, chosen, base, firstPredictions, split, targetTest, testY, labels);
        ModelResult baseline = result(sourceOnly, Method.SOURCE_ONLY, base, firstPredictions, split, targetTest, testY, labels);
        List<String> warnings = new ArrayList<>(model.warnings());
        warnings.add(labelled ? "scored on the labelled target test rows " + targetTest.source() + "; they were read after every choice"
                : "scored on held-out source rows: no labelled target test rows were given");
        warnings.add("the scratch model of this run is source-only: the same network trained on the source alone");
        D scoredOn = labelled ? targetTest : split.test();
        TransferRun<M, C> run = new TransferRun<>(pipeline.modality().name(), base, split.train().contentHash(), split.train().size(),
                split.validation().size(), scoredOn.size(), labels.names(), transfer, baseline, model.features(), model.tuning(), warnings,
                null, (System.nanoTime() - t0) / 1_000_000, model.model(), comparison, paired, null);
        first.remove(chosen);
        return new AdaptRun<>(shift, trials, summaries, chosen.id(), selection, oracle == null ? null : oracle.id(), labelled, comparison,
                verdict, run);
    }

    private static double bestRiskOf(List<AdaptRun.Summary> summaries, Method m) {
        return summaries.stream().filter(s -> s.method().equals(m.id())).mapToDouble(AdaptRun.Summary::estimatedRisk).findFirst()
                .orElse(Double.NaN);
    }

    private static List<Double> accuracies(List<AdaptRun.Trial> trials, Method m) {
        return trials.stream().filter(t -> t.method().equals(m.id())).map(AdaptRun.Trial::targetAccuracy).toList();
    }

    /** The first seed's model of {@code m} scored where the run is scored (target test rows, else held-out source rows). */
    private ModelResult result(Trained<M> t, Method m, C base, Map<Method, int[]> predictions, Split<D> split, D targetTest, int[] testY,
            LabelMap labels) {
        D rows = targetTest != null ? targetTest : split.test();
        int[] truth = targetTest != null ? testY : split.test().labelIndices(labels);
        int[] pred = targetTest != null ? predictions.get(m) : t.model().predict(split.test(), Progress.SILENT);
        return new ModelResult("adapt:" + base.backbone() + "+" + m.id(), Metrics.compute(truth, pred, labels), t.fit(), t.trainMillis(),
                pred, ModelResult.misclassified(truth, pred, labels, rows::rowName));
    }

    /** Writes the chosen model as its modality's bundle plus {@link #ADAPT_JSON}, atomically. */
    public void save(AdaptRun<M, C> run, Path dir, byte[] configYaml) {
        AtomicDirectory.write(dir, tmp -> {
            Path inner = tmp.resolve("bundle");
            pipeline.save(run.run(), inner, configYaml);
            try (var files = Files.list(inner)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.move(p, tmp.resolve(p.getFileName()));
                }
            }
            Files.delete(inner);
            Files.write(tmp.resolve(ADAPT_JSON), Json.bytes(run));
        });
    }
}
