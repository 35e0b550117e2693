package io.transfer4j.text;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.backbone.LayerCut;
import io.transfer4j.baseline.ScratchBaseline;
import io.transfer4j.baseline.ScratchClassifier;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Split;
import io.transfer4j.data.TextDataset;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.pipeline.Context;
import io.transfer4j.pipeline.Modality;
import io.transfer4j.pipeline.Trained;
import io.transfer4j.run.RunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.select.Separability;
import io.transfer4j.train.FitResult;
import io.transfer4j.train.Inference;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Texts behind the pipeline's seam: a sentence encoder from the catalogue (or an {@code .onnx}
 * file, or {@code id@layer}) frozen with a head on its cached features, or fine-tuned by
 * {@link FineTuner}; the scratch baseline is a linear model on hashed n-grams.
 */
public final class TextModality implements Modality<TextDataset, ProbeClassifier, RunConfig>,
        io.transfer4j.fewshot.ContrastiveTuning<TextDataset, ProbeClassifier, RunConfig>,
        io.transfer4j.adapt.DomainAdaptable<TextDataset, ProbeClassifier, RunConfig> {
    /** Width of the bottleneck text adaptation trains over the frozen features. */
    static final int ADAPT_HIDDEN = 256;

    private final BackboneCatalogue catalogue;

    /** Backbones resolved against {@code catalogue}; null = this machine's catalogue, read when first needed. */
    public TextModality(BackboneCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public String name() {
        return "text";
    }

    /** 3 for a linear probe (cached features make a seed cost seconds), 1 for fine-tuning, whose extra seeds would triple the run. */
    @Override
    public int defaultSeeds(RunConfig config) {
        return config.strategy().tunesBackbone() ? 1 : 3;
    }

    /**
     * The probe, LoRA and full fine-tuning: on text the probe takes seconds on cached features,
     * LoRA and full fine-tuning minutes each (IMDB evidence: both beat the probe from a few thousand labels).
     */
    @Override
    public List<Strategy> autoCandidates(RunConfig config) {
        return List.of(Strategy.of(Strategy.Kind.LINEAR_PROBE), Strategy.of(Strategy.Kind.LORA), Strategy.of(Strategy.Kind.FULL));
    }

    @Override
    public Trained<ProbeClassifier> transfer(RunConfig config, Split<TextDataset> split, LabelMap labels, Context context) {
        if (config.strategy().tunesBackbone()) {
            BackboneSpec spec = resolve(config);
            BackboneFiles files = BackboneLocator.standard().locate(spec);
            return FineTuner.run(config, spec, files, labels, split.train(), split.validation(), split.test(),
                    context.checkpoints(), context.progress());
        }
        return probe(config, split, labels, context.progress());
    }

    @Override
    public void save(TransferRun<ProbeClassifier, RunConfig> run, java.nio.file.Path dir, byte[] configYaml) {
        io.transfer4j.bundle.Bundle.save(run, dir, configYaml);
    }

    @Override
    public float[][] frozenFeatures(RunConfig config, TextDataset rows, Progress progress) {
        try (FeatureExtractor fx = openExtractor(config)) {
            return fx.extract(rows.texts(), progress);
        }
    }

    @Override
    public ProbeClassifier frozenModel(RunConfig config, io.transfer4j.train.Standardizer standardizer, ai.djl.Model head, LabelMap labels,
            io.transfer4j.util.WorkDirectory owned) {
        FeatureExtractor fx = openExtractor(config);
        return new ProbeClassifier(fx, standardizer, io.transfer4j.train.HeadType.LOGISTIC, 0, head, labels, owned);
    }

    /** SetFit's contrastive stage ({@link SetFitTuner}); the tuned encoder joins an in-memory copy of the catalogue. */
    @Override
    public io.transfer4j.fewshot.TunedBackbone<TextDataset, ProbeClassifier, RunConfig> contrastive(RunConfig config,
            TextDataset shots, LabelMap labels, io.transfer4j.fewshot.SetFitConfig setFit, Progress progress) {
        BackboneSpec spec = resolve(config);
        BackboneFiles files = BackboneLocator.standard().locate(spec);
        io.transfer4j.util.WorkDirectory work = io.transfer4j.util.WorkDirectory.create("transfer4j-setfit-");
        try {
            SetFitTuner.Result r = SetFitTuner.tune(config, spec, files, shots, labels, setFit, work, progress);
            BackboneCatalogue base = catalogue != null ? catalogue : BackboneCatalogue.load();
            // the tuned encoder's features change with it: never served from (or written to) the embedding cache
            RunConfig tuned = config.toBuilder().backbone(r.spec().id()).maxLength(r.spec().maxLength()).cache(false).build();
            return new io.transfer4j.fewshot.TunedBackbone<>(new TextModality(base.with(r.spec())), tuned, r.tuning(), r.fit(),
                    work);
        } catch (RuntimeException e) {
            work.close();
            throw e;
        }
    }

    @Override
    public Trained<ScratchClassifier> scratch(RunConfig config, Split<TextDataset> split, LabelMap labels, Context context) {
        long s0 = System.nanoTime();
        ScratchBaseline.Result r = ScratchBaseline.fit(split.train(), split.validation(), labels, config.seed(), context.progress());
        return new Trained<>(r.classifier(), "scratch:hashed-ngrams+linear", r.fit().best(), (System.nanoTime() - s0) / 1_000_000,
                null, null, null, List.of());
    }

    private Trained<ProbeClassifier> probe(RunConfig config, Split<TextDataset> split, LabelMap labels, Progress progress) {
        FeatureExtractor fx = openExtractor(config);
        ProbeClassifier classifier = null;
        try {
            long e0 = System.nanoTime();
            List<float[][]> f = extractAll(fx, List.of(split.train(), split.validation(), split.test()), progress);
            long extractMillis = (System.nanoTime() - e0) / 1_000_000;
            List<String> warnings = Separability.warning(fx.spec().id(), f.get(0), split.train().labelIndices(labels), "texts");
            LinearProbe.Fitted fit = new LinearProbe(config.head(), config.hidden(), config.headTraining(), config.l2Grid())
                    .fit("head", labels.size(), f.get(0), split.train().labelIndices(labels), f.get(1),
                            split.validation().labelIndices(labels), progress);
            classifier = new ProbeClassifier(fx, fit.standardizer(), config.head(), config.hidden(), fit.model(), labels);
            int[] pred = Inference.argMax(classifier.probabilitiesOfFeatures(f.get(2)));
            FeatureExtractor.Stats st = fx.stats();
            TransferRun.EmbeddingStats es = new TransferRun.EmbeddingStats(fx.spec().id(), fx.files().sha256(), st.encoded(),
                    st.cacheHits(), st.truncated(), st.encodeMillis(), extractMillis, config.maxLength());
            return new Trained<>(classifier, "transfer:" + fx.spec().id() + "+" + config.head().name().toLowerCase(Locale.ROOT),
                    fit.best(), fit.fit().millis(), pred, es, null, warnings);
        } catch (RuntimeException e) {
            if (classifier != null) {
                classifier.close(); // closes the extractor too
            } else {
                fx.close();
            }
            throw e;
        }
    }

    /** Every method but adabn: the bottleneck over frozen text features has no BatchNorm. */
    @Override
    public List<io.transfer4j.adapt.Method> methods(RunConfig config) {
        return io.transfer4j.adapt.Method.concrete().stream().filter(m -> m != io.transfer4j.adapt.Method.ADABN).toList();
    }

    @Override
    public String unavailable(RunConfig config, io.transfer4j.adapt.Method method) {
        return method.id() + " re-estimates BatchNorm statistics, and text adaptation trains a bottleneck over the frozen encoder's "
                + "features that has none; choose coral, dan, dann, cdan, self-training or auto";
    }

    /**
     * The encoder frozen (features cached like a probe's), a bottleneck of {@link #ADAPT_HIDDEN} units
     * and a linear head trained through the one loop on source batches with the method's loss against
     * target batches in the bottleneck's space; the result is an MLP head on the frozen encoder, an
     * ordinary text bundle. Self-training pseudo-labels the plain target features (texts have no
     * augmented view here).
     */
    @Override
    public Trained<ProbeClassifier> adapt(RunConfig config, Split<TextDataset> split, TextDataset target,
            io.transfer4j.adapt.Method method, io.transfer4j.adapt.AdaptConfig settings, Context context) {
        Progress progress = context.progress();
        LabelMap labels = split.train().labelMap();
        FeatureExtractor fx = openExtractor(config);
        ProbeClassifier classifier = null;
        try {
            long t0 = System.nanoTime();
            List<float[][]> f = extractAll(fx, List.of(split.train(), split.validation(), split.test(), target), progress);
            io.transfer4j.train.Standardizer std = io.transfer4j.train.Standardizer.fit(f.get(0));
            int[] y = split.train().labelIndices(labels);
            io.transfer4j.train.Rows train = new io.transfer4j.train.DenseRows(std.apply(f.get(0)));
            io.transfer4j.train.Rows rows = method.alignsDomains()
                    ? new io.transfer4j.adapt.DomainRows(train, y, labels.size(), new io.transfer4j.train.DenseRows(std.apply(f.get(3))), null,
                            config.seed())
                    : train;
            io.transfer4j.train.TrainConfig tc = new io.transfer4j.train.TrainConfig(40, 64, 1e-3f, 0, 8, config.seed());
            var objective = new io.transfer4j.adapt.DomainObjective(method, settings.tradeOff(), settings.threshold(), config.seed());
            FitResult fit;
            ai.djl.Model head;
            try (ai.djl.Model model = ai.djl.Model.newInstance("adapt", ai.djl.Device.cpu(), "PyTorch")) {
                var net = io.transfer4j.adapt.AdaptiveNetwork.dense(ADAPT_HIDDEN, labels.size(), objective);
                model.setBlock(net);
                io.transfer4j.train.Seeds.beforeInit(config.seed());
                net.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, train.shapes(Math.min(64, train.size())));
                String name = "adapt " + method.id();
                try (Progress.Task task = progress.start(name, io.transfer4j.train.TrainingLoop.maxSteps(train.size(), tc), "batches")) {
                    fit = io.transfer4j.train.TrainingLoop.fit(model, rows, y, new io.transfer4j.train.DenseRows(std.apply(f.get(1))),
                            split.validation().labelIndices(labels), tc, new io.transfer4j.train.TrainingLoop.Tuning(net.table(),
                                    Strategy.of(Strategy.Kind.FULL), io.transfer4j.train.Checkpoints.NONE, List.of(), net.objective()),
                            name, task);
                }
                head = net.mlpHead(fx.width(), labels.size());
            }
            classifier = new ProbeClassifier(fx, std, io.transfer4j.train.HeadType.MLP, ADAPT_HIDDEN, head, labels);
            int[] pred = Inference.argMax(classifier.probabilitiesOfFeatures(f.get(2)));
            FeatureExtractor.Stats st = fx.stats();
            TransferRun.EmbeddingStats es = new TransferRun.EmbeddingStats(fx.spec().id(), fx.files().sha256(), st.encoded(),
                    st.cacheHits(), st.truncated(), st.encodeMillis(), 0, config.maxLength());
            return new Trained<>(classifier, "adapt:" + fx.spec().id() + "+" + method.id(), fit, (System.nanoTime() - t0) / 1_000_000, pred,
                    es, null, List.of());
        } catch (RuntimeException e) {
            if (classifier != null) {
                classifier.close();
            } else {
                fx.close();
            }
            throw e;
        }
    }

    /** What the adapted head's output layer reads: the bottleneck's activations (an MLP head), else the standardised features. */
    @Override
    public float[][] modelFeatures(ProbeClassifier model, TextDataset rows, Progress progress) {
        float[][] x = model.standardizer().apply(model.extractor().extract(rows.texts(), progress));
        if (model.headType() != io.transfer4j.train.HeadType.MLP) {
            return x;
        }
        ai.djl.nn.Block hidden = model.head().getBlock().getChildren().get(0).getValue();
        ai.djl.Model m = model.head();
        float[][] out = new float[x.length][];
        for (int start = 0; start < x.length; start += 256) {
            int end = Math.min(x.length, start + 256);
            try (ai.djl.ndarray.NDManager mm = m.getNDManager().newSubManager()) {
                int[] idx = java.util.stream.IntStream.range(start, end).toArray();
                ai.djl.ndarray.NDArray h = hidden.forward(new ai.djl.training.ParameterStore(mm, false),
                        new io.transfer4j.train.DenseRows(x).batch(mm, idx), false).head().maximum(0f);
                float[] flat = h.toFloatArray();
                int w = (int) h.getShape().get(1);
                for (int r = 0; r < idx.length; r++) {
                    out[start + r] = Arrays.copyOfRange(flat, r * w, (r + 1) * w);
                }
            }
        }
        return out;
    }

    /** Embeds several datasets in one pass, so length buckets span them all. */
    private static List<float[][]> extractAll(FeatureExtractor fx, List<TextDataset> parts, Progress progress) {
        List<String> all = new ArrayList<>();
        for (TextDataset d : parts) {
            all.addAll(d.texts());
        }
        float[][] f = fx.extract(all, progress);
        List<float[][]> out = new ArrayList<>();
        int at = 0;
        for (TextDataset d : parts) {
            out.add(Arrays.copyOfRange(f, at, at + d.size()));
            at += d.size();
        }
        return out;
    }

    private BackboneSpec resolve(RunConfig config) {
        return LayerCut.resolve(catalogue != null ? catalogue : BackboneCatalogue.load(), config.backbone()).withPooling(config.pooling());
    }

    private FeatureExtractor openExtractor(RunConfig config) {
        BackboneSpec spec = resolve(config);
        int maxLength = config.maxLength() > 0 ? config.maxLength() : spec.maxLength();
        if (maxLength > spec.maxLength()) {
            throw new UserException("--max-length " + maxLength + " exceeds what " + spec.id()
                    + " supports (" + spec.maxLength() + " tokens); use at most " + spec.maxLength());
        }
        BackboneFiles files = BackboneLocator.standard().locate(spec);
        return FeatureExtractor.of(spec, files, maxLength, config.maxWindows(), config.cache());
    }
}
