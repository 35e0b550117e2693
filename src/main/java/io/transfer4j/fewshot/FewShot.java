package io.transfer4j.fewshot;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.eval.Metrics;
import io.transfer4j.model.Classifier;
import io.transfer4j.pipeline.Modality;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.run.ModelResult;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.StrategyChoice;
import io.transfer4j.run.TransferRun;
import io.transfer4j.train.FitResult;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Few-shot learning on any modality's frozen backbone: a head from a handful of labelled rows
 * ({@link Prototypes}, {@link ShotProbe}, or SetFit's tuned text encoder), chosen under
 * {@link Method#AUTO} on held-out shots ({@link ShotFolds}), saved as an ordinary bundle; and
 * episodic evaluation ({@link Episodes}). Immutable.
 *
 * <pre>{@code
 * var fs = FewShot.of(Transfer.text().backbone("bge-small-q").seed(7));
 * try (var run = fs.fit(shots, null, test)) {
 *     System.out.println(run.transfer().name() + " " + run.transfer().test().accuracy());
 *     fs.save(run, Path.of("model"));
 * }
 * }</pre>
 */
public final class FewShot<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    private final Pipeline<D, M, C> pipeline;
    private final FewShotConfig config;

    private FewShot(Pipeline<D, M, C> pipeline, FewShotConfig config) {
        this.pipeline = pipeline;
        this.config = config;
    }

    /** Few-shot learning on {@code pipeline}'s backbone, seed and progress, with the default settings (method auto). */
    public static <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> FewShot<D, M, C> of(Pipeline<D, M, C> pipeline) {
        return new FewShot<>(pipeline, FewShotConfig.DEFAULT);
    }

    public FewShotConfig config() {
        return config;
    }

    public FewShot<D, M, C> config(FewShotConfig c) {
        return new FewShot<>(pipeline, c);
    }

    /** These settings changed, e.g. {@code configure(b -> b.method(Method.PROTOTYPES).metric(Metric.EUCLIDEAN))}. */
    public FewShot<D, M, C> configure(UnaryOperator<FewShotConfig.Builder> change) {
        return config(change.apply(config.toBuilder()).build());
    }

    public FewShot<D, M, C> method(Method m) {
        return configure(b -> b.method(m));
    }

    private Progress progress() {
        return pipeline.context().progress();
    }

    private long seed() {
        return pipeline.config().seed();
    }

    /**
     * A few-shot model from {@code shots}: features of the shots (and of {@code queries}, unlabelled
     * rows of the same task used for transductive prototypes; may be null), the method fitted on all
     * shots, and its score on {@code test} (may be null: then on held-out shots, and with one shot
     * per class a test set is required). The run holds no scratch baseline: with a handful of labels
     * there is none worth training. Close the run unless its model is kept.
     */
    public TransferRun<M, C> fit(D shots, D queries, D test) {
        long t0 = System.nanoTime();
        shots.requireTrainable();
        LabelMap labels = shots.labelMap();
        int[] y = shots.labelIndices(labels);
        int classes = labels.size();
        int[] truthTest = test == null ? null : test.labelIndices(labels);
        C cfg = pipeline.config().withStrategy(Strategy.of(Strategy.Kind.LINEAR_PROBE));
        Modality<D, M, C> modality = pipeline.modality();
        List<String> warnings = new ArrayList<>();
        TunedBackbone<D, M, C> tuned = null;
        if (config.method() == Method.SETFIT) {
            if (!(modality instanceof ContrastiveTuning<?, ?, ?>)) {
                throw new UserException("--method setfit fine-tunes a text encoder; for " + modality.name()
                        + " use prototypes, probe or auto");
            }
            @SuppressWarnings("unchecked")
            ContrastiveTuning<D, M, C> ct = (ContrastiveTuning<D, M, C>) modality;
            tuned = ct.contrastive(cfg, shots, labels, config.setFit(), progress());
            modality = tuned.modality();
            cfg = tuned.config();
        }
        try {
            float[][] x = modality.frozenFeatures(cfg, shots, progress());
            float[][] u = queries == null ? null : modality.frozenFeatures(cfg, queries, progress());
            float[][] t = test == null ? null : modality.frozenFeatures(cfg, test, progress());
            ShotFolds folds = ShotFolds.of(y, classes, seed());
            Chosen chosen = choose(x, y, classes, folds, u != null, warnings);
            ShotLearner learner = chosen.learner();
            if (u != null && !(learner instanceof Prototypes)) {
                warnings.add("the " + u.length + " unlabelled queries were not used: only prototypes refine with them");
            }
            long f0 = System.nanoTime();
            ShotHead head = learner.fit(x, y, classes, u);
            long fitMillis = (System.nanoTime() - f0) / 1_000_000 + chosen.millis();
            int[] truth;
            int[] pred;
            java.util.function.IntFunction<String> rowName;
            if (t != null) {
                truth = truthTest;
                pred = head.predict(t);
                rowName = test::rowName;
            } else if (chosen.heldOut() != null) {
                truth = y;
                pred = chosen.heldOut().predictions();
                rowName = shots::rowName;
                warnings.add("scored on held-out shots (" + folds.count() + " folds, one shot per class left out in each): "
                        + "no test data was given");
            } else {
                throw new UserException("with one shot per class nothing can be held out to score the model; give test data "
                        + "(--test) as well");
            }
            String name = "fewshot:" + pipeline.config().backbone() + "+" + (tuned != null ? "setfit(" + learner.id() + ")" : learner.id());
            // SetFit's record is its contrastive training (epochs, pair losses); the others' the held-out shots
            FitResult fit = tuned != null ? tuned.fit() : new FitResult(learner instanceof ShotProbe p ? p.l2() : 0, 0, 0,
                    chosen.heldOut() == null ? Double.NaN : chosen.heldOut().logLoss(),
                    chosen.heldOut() == null ? Double.NaN : chosen.heldOut().accuracy(), List.of(), fitMillis, 0);
            ModelResult result = new ModelResult(name, Metrics.compute(truth, pred, labels), fit, fitMillis, pred,
                    ModelResult.misclassified(truth, pred, labels, rowName));
            M model = modality.frozenModel(cfg, head.standardizer(), head.toModel(), labels, tuned == null ? null : tuned.folder());
            TransferRun.Tuning tuning = tuned == null ? null : tuned.tuning();
            return new TransferRun<>(modality.name(), cfg, shots.contentHash(), shots.size(), 0, truth.length, labels.names(), result,
                    null, null, tuning, warnings, null, (System.nanoTime() - t0) / 1_000_000, model, null, null, chosen.choice());
        } catch (RuntimeException e) {
            if (tuned != null) {
                tuned.close();
            }
            throw e;
        }
    }

    /**
     * Meta-trains the pipeline's backbone on episodes of the base classes in {@code base}
     * ({@link EpisodicTraining}), then puts a nearest-prototype head over those classes on it
     * (Euclidean, the metric ProtoNets train for; temperature from held-out images), so the result is
     * an ordinary bundle: {@code fewshot} and {@code fewshot eval} read its backbone for novel classes,
     * {@code predict} its base classes. The run is scored on the base images held out for validation,
     * which also chose the epoch kept (so that figure is slightly optimistic).
     */
    public TransferRun<M, C> metaTrain(D base, MetaConfig meta) {
        long t0 = System.nanoTime();
        Modality<D, M, C> modality = pipeline.modality();
        if (!(modality instanceof EpisodicTraining<?, ?, ?>)) {
            throw new UserException("meta-train trains image backbones on episodes; " + modality.name()
                    + " has no episodic training: use fewshot on a pre-trained backbone");
        }
        @SuppressWarnings("unchecked")
        EpisodicTraining<D, M, C> et = (EpisodicTraining<D, M, C>) modality;
        C cfg = pipeline.config().withStrategy(Strategy.of(Strategy.Kind.LINEAR_PROBE));
        base.requireTrainable();
        LabelMap labels = base.labelMap();
        io.transfer4j.data.Split<D> split = new io.transfer4j.data.StratifiedSplitter(0.2, 0, seed()).split(base);
        // checked before any training: the samplers the modality builds would fail only after the network is loaded
        requireEpisodes(split.validation(), labels, meta, "the fifth of " + base.source() + " held out for validation episodes");
        requireEpisodes(split.train(), labels, meta, "the training part of " + base.source());
        TunedBackbone<D, M, C> tuned = et.metaTrain(cfg, split.train(), split.validation(), meta, pipeline.context());
        try {
            float[][] x = tuned.modality().frozenFeatures(tuned.config(), split.train(), progress());
            float[][] v = tuned.modality().frozenFeatures(tuned.config(), split.validation(), progress());
            int[] y = split.train().labelIndices(labels);
            int[] truth = split.validation().labelIndices(labels);
            Prototypes p = new Prototypes(Metric.EUCLIDEAN, Prototypes.DEFAULT_TEMPERATURE, 0);
            ShotHead head = temperatureOn(p, x, y, v, truth, labels.size());
            int[] pred = head.predict(v);
            ModelResult result = new ModelResult("meta:" + pipeline.config().backbone() + "+" + meta.method().id(),
                    Metrics.compute(truth, pred, labels), tuned.fit(), tuned.fit().millis(), pred,
                    ModelResult.misclassified(truth, pred, labels, split.validation()::rowName));
            M model = tuned.modality().frozenModel(tuned.config(), head.standardizer(), head.toModel(), labels, tuned.folder());
            List<String> warnings = List.of("scored on the base images held out for validation, which also chose the epoch kept");
            return new TransferRun<>(modality.name(), tuned.config(), base.contentHash(), split.train().size(), split.validation().size(),
                    truth.length, labels.names(), result, null, null, tuned.tuning(), warnings, null, (System.nanoTime() - t0) / 1_000_000,
                    model, null, null, null);
        } catch (RuntimeException e) {
            tuned.close();
            throw e;
        }
    }

    /** Fails with a one-line message unless {@code ways} classes of {@code rows} have shots + queries rows each. */
    private static void requireEpisodes(Labelled<?> rows, LabelMap labels, MetaConfig meta, String what) {
        new io.transfer4j.train.EpisodeSampler(rows.labelIndices(labels), labels.size(), meta.ways(), meta.shots(), meta.queries(), what);
    }

    /** The prototypes of all of {@code x} with the temperature of lowest log-loss on the held-out rows {@code v}. */
    private static ShotHead temperatureOn(Prototypes p, float[][] x, int[] y, float[][] v, int[] truth, int classes) {
        ShotHead best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (float t : Prototypes.TEMPERATURES) {
            ShotHead h = p.withTemperature(t).fit(x, y, classes, null);
            float[][] logits = h.logits(v);
            double loss = 0;
            for (int i = 0; i < v.length; i++) {
                loss -= Math.log(Math.max(Prototypes.softmax(logits[i])[truth[i]], 1e-12));
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                best = h;
            }
        }
        return best;
    }

    /** Saves {@code run} (made by {@link #fit}) as its modality's bundle. */
    public void save(TransferRun<M, C> run, java.nio.file.Path dir, byte[] configYaml) {
        pipeline.save(run, dir, configYaml);
    }

    /**
     * The field's episodic evaluation on {@code labelled}: {@code spec.episodes()} seeded N-way
     * K-shot tasks per shot count, each adapted from its support rows and scored on its queries;
     * the mean accuracy with its 95% interval. Features are read once for all rows.
     */
    public EpisodeResult evaluate(D labelled, EpisodeSpec spec) {
        if (config.method() == Method.SETFIT) {
            throw new UserException("episodes fine-tune nothing: SetFit's contrastive stage per episode would take minutes each; "
                    + "evaluate setfit with fewshot --test, or use prototypes, probe or auto here");
        }
        LabelMap labels = labelled.labelMap();
        int[] y = labelled.labelIndices(labels);
        C cfg = pipeline.config().withStrategy(Strategy.of(Strategy.Kind.LINEAR_PROBE));
        long f0 = System.nanoTime();
        float[][] x = pipeline.modality().frozenFeatures(cfg, labelled, progress());
        long featureMillis = (System.nanoTime() - f0) / 1_000_000;
        return new Episodes(spec, seed(), progress()).run(x, y, labels, this::episodeLearner, describe(), labelled.source(), featureMillis);
    }

    /** What episodes report as the method. */
    private String describe() {
        String m = config.method().id();
        if (config.method() == Method.PROTOTYPES) {
            m += "-" + metricOr(Metric.COSINE).id();
        }
        return m;
    }

    private Metric metricOr(Metric dflt) {
        return config.metric() != null ? config.metric() : dflt;
    }

    /** The method one episode adapts with: fixed L2 for the probe; auto chosen on the episode's own support shots. */
    private Episodes.Adapted episodeLearner(float[][] x, int[] y, int classes, float[][] queries, boolean transductive) {
        int refine = transductive ? config.refinements() : 0;
        ShotFolds folds = ShotFolds.of(y, classes, seed());
        ShotLearner l;
        switch (config.method()) {
            case PROTOTYPES -> l = folds.temperature(new Prototypes(metricOr(Metric.COSINE), Prototypes.DEFAULT_TEMPERATURE, refine), x, y,
                    classes);
            case PROBE -> l = probe(config.fixedL2());
            default -> {
                List<ShotLearner> candidates = new ArrayList<>(prototypeCandidates(folds, x, y, classes, refine));
                candidates.add(probe(config.fixedL2()));
                l = folds.count() == 0 ? candidates.get(0) : best(candidates, folds, x, y, classes).learner();
            }
        }
        return new Episodes.Adapted(l.id(), l.fit(x, y, classes, queries));
    }

    private ShotProbe probe(float l2) {
        return new ShotProbe(l2, config.probeTraining().withSeed(seed()));
    }

    /** The probe at each L2 strength of the grid, to be chosen among on held-out shots. */
    private List<ShotProbe> probeGrid() {
        List<ShotProbe> grid = new ArrayList<>();
        for (float l2 : config.l2Grid()) {
            grid.add(probe(l2));
        }
        return grid;
    }

    private List<Prototypes> prototypeCandidates(ShotFolds folds, float[][] x, int[] y, int classes, int refine) {
        List<Prototypes> out = new ArrayList<>();
        for (Metric m : config.metric() != null ? List.of(config.metric()) : List.of(Metric.COSINE, Metric.EUCLIDEAN)) {
            out.add(folds.temperature(new Prototypes(m, Prototypes.DEFAULT_TEMPERATURE, refine), x, y, classes));
        }
        return out;
    }

    /** The learner to fit on all shots, how it was chosen (null when given), and its held-out score (null without folds). */
    private record Chosen(ShotLearner learner, StrategyChoice choice, ShotFolds.Score heldOut, long millis) {}

    private Chosen choose(float[][] x, int[] y, int classes, ShotFolds folds, boolean queries, List<String> warnings) {
        long t0 = System.nanoTime();
        int refine = queries ? config.refinements() : 0;
        switch (config.method()) {
            case PROTOTYPES -> {
                Prototypes p = folds.temperature(new Prototypes(metricOr(Metric.COSINE), Prototypes.DEFAULT_TEMPERATURE, refine), x, y,
                        classes);
                return new Chosen(p, null, folds.count() == 0 ? null : folds.score(p.withRefinements(0), x, y, classes), millisSince(t0));
            }
            case PROBE, SETFIT -> {
                if (folds.count() == 0) {
                    warnings.add("one shot per class: the probe's L2 could not be chosen on held-out shots; " + config.fixedL2() + " used");
                    return new Chosen(probe(config.fixedL2()), null, null, millisSince(t0));
                }
                Scored s = best(probeGrid(), folds, x, y, classes);
                return new Chosen(s.learner(), null, s.score(), millisSince(t0));
            }
            default -> {
                List<Prototypes> protos = prototypeCandidates(folds, x, y, classes, refine);
                if (folds.count() == 0) {
                    return new Chosen(protos.get(0), new StrategyChoice(protos.get(0).id(), List.of(), null,
                            "one shot per class leaves nothing to hold out, and a probe on one example per class is a prototype "
                                    + "classifier with more variance"), null, millisSince(t0));
                }
                List<StrategyChoice.Candidate> tried = new ArrayList<>();
                Scored best = null;
                for (Prototypes p : protos) {
                    Scored s = new Scored(p, folds.score(p.withRefinements(0), x, y, classes));
                    tried.add(candidate(new Scored(p.withRefinements(0), s.score())));
                    best = better(s, best);
                }
                Scored probe = best(probeGrid(), folds, x, y, classes);
                tried.add(candidate(probe));
                best = better(probe, best);
                String criterion = "accuracy on held-out shots (" + folds.count() + " folds, each leaving out one shot per class; "
                        + "the probe's at its best L2 of " + config.l2Grid().length + ")";
                return new Chosen(best.learner(), new StrategyChoice(best.learner().id(), tried, criterion, null), best.score(),
                        millisSince(t0));
            }
        }
    }

    private record Scored(ShotLearner learner, ShotFolds.Score score) {}

    /**
     * The candidate of highest held-out accuracy, ties to the lower smoothed log-loss (which, unlike
     * the plain one, does not reward a head for being sure of every shot), then to the earlier
     * (cheaper) one.
     */
    private static Scored best(List<? extends ShotLearner> candidates, ShotFolds folds, float[][] x, int[] y, int classes) {
        Scored best = null;
        for (ShotLearner l : candidates) {
            best = better(new Scored(l, folds.score(l, x, y, classes)), best);
        }
        return best;
    }

    private static Scored better(Scored s, Scored best) {
        if (best == null || s.score().accuracy() > best.score().accuracy()
                || (s.score().accuracy() == best.score().accuracy() && s.score().smoothedLoss() < best.score().smoothedLoss() - 1e-9)) {
            return s;
        }
        return best;
    }

    private static StrategyChoice.Candidate candidate(Scored s) {
        String id = s.learner() instanceof ShotProbe p ? "probe(l2=" + p.l2() + ")" : s.learner().id();
        return new StrategyChoice.Candidate(id, s.score().accuracy(), s.score().logLoss(), s.score().millis());
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
