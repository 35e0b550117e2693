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
        io.transfer4j.fewshot.ContrastiveTuning<TextDataset, ProbeClassifier, RunConfig> {
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
                    fit.best(), fit.fit().grid().stream().mapToLong(FitResult::millis).sum(), pred, es, null, warnings);
        } catch (RuntimeException e) {
            if (classifier != null) {
                classifier.close(); // closes the extractor too
            } else {
                fx.close();
            }
            throw e;
        }
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
        return LayerCut.resolve(catalogue != null ? catalogue : BackboneCatalogue.load(), config.backbone());
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
