package io.transfer4j.audio;

import ai.djl.Model;
import io.transfer4j.backbone.AudioBackbone;
import io.transfer4j.backbone.AudioBackbones;
import io.transfer4j.backbone.AudioEncoder;
import io.transfer4j.data.AudioDataset;
import io.transfer4j.data.AudioDatasetReader;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.LabelledFiles;
import io.transfer4j.data.Split;
import io.transfer4j.model.AudioModel;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxExporter;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.pipeline.Context;
import io.transfer4j.pipeline.Modality;
import io.transfer4j.pipeline.StrategySelection;
import io.transfer4j.pipeline.Trained;
import io.transfer4j.run.AudioRunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.select.Separability;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.train.FineTuning;
import io.transfer4j.train.FitResult;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.Inference;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.train.Rows;
import io.transfer4j.train.Standardizer;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.train.WindowedClassifier;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Audio behind the pipeline's seam: clips fitted to one length, through the backbone's frozen
 * front end (log-mel), in windows through its encoder. A linear probe reads the encoder's
 * features averaged over a clip's windows; fine-tuning trains the encoder on every window
 * ({@link WindowedClassifier}) through the one training loop, augmenting training clips only; the
 * scratch baseline is a fresh CNN over the same log-mel windows, so the comparison isolates what
 * the encoder's pre-training brings.
 */
public final class AudioModality implements Modality<AudioDataset, AudioModel, AudioRunConfig> {
    private final AudioBackbone backbone;
    private float[][] noise;

    /** @param backbone as {@link AudioInputs#read} resolved it */
    public AudioModality(AudioBackbone backbone) {
        this.backbone = backbone;
    }

    public AudioBackbone backbone() {
        return backbone;
    }

    @Override
    public String name() {
        return "audio";
    }

    /** 3 for a probe (seconds per seed), else 1: a fine-tuning seed costs a full run of it and of the scratch CNN. */
    @Override
    public int defaultSeeds(AudioRunConfig config) {
        return config.strategy().kind() == Strategy.Kind.LINEAR_PROBE ? 3 : 1;
    }

    /** The probe, partial and full fine-tuning, measured on validation; a fresh network trains in full. */
    @Override
    public List<Strategy> autoCandidates(AudioRunConfig config) {
        return StrategySelection.probePartialFull(backbone.pretrained());
    }

    @Override
    public Trained<AudioModel> transfer(AudioRunConfig config, Split<AudioDataset> split, LabelMap labels, Context context) {
        Strategy s = config.strategy();
        if (!s.tunesBackbone()) {
            return probe(config, split, labels, context.progress());
        }
        String name = backbone.pretrained() ? "transfer:" + backbone.id() + "+" + s.kind().id() : "scratch:" + backbone.id();
        return fineTune(config, backbone, s, split, labels, !backbone.pretrained(), name, context);
    }

    @Override
    public Trained<AudioModel> scratch(AudioRunConfig config, Split<AudioDataset> split, LabelMap labels, Context context) {
        if (!config.scratch() || !backbone.pretrained()) {
            return null;
        }
        String arch = config.scratchArchFor(backbone);
        AudioBackbone fresh = AudioBackbones.builtIn(arch, config.seed());
        if (fresh.sampleRate() != backbone.sampleRate()) {
            throw new UserException("the scratch baseline reads 16 kHz log-mel windows but " + backbone.id() + " reads "
                    + backbone.sampleRate() + " Hz audio, so the two cannot share clips; give a 16 kHz encoder (or build the run with scratch(false))");
        }
        return fineTune(config, fresh, Strategy.of(Strategy.Kind.FULL), split, labels, true, "scratch:" + arch,
                new Context(context.progress(), Checkpoints.NONE));
    }

    @Override
    public void save(TransferRun<AudioModel, AudioRunConfig> run, Path dir, byte[] configYaml) {
        io.transfer4j.bundle.AudioBundle.save(run, dir, configYaml);
    }

    @Override
    public float[][] frozenFeatures(AudioRunConfig config, AudioDataset rows, Progress progress) {
        try (AudioEncoder enc = AudioEncoder.open(backbone)) {
            return enc.features(rows, samples(config), progress);
        }
    }

    /** The clip length in samples; {@link AudioInputs#read} has resolved an automatic one. */
    private int samples(AudioRunConfig config) {
        if (config.clipSeconds() <= 0) {
            throw new IllegalStateException("the clip length is resolved when the clips are read (AudioInputs.read)");
        }
        return backbone.samplesFor(config.clipSeconds());
    }

    @Override
    public AudioModel frozenModel(AudioRunConfig config, Standardizer standardizer, ai.djl.Model head, LabelMap labels,
            io.transfer4j.util.WorkDirectory owned) {
        return new AudioModel(backbone, samples(config), standardizer, head, labels, owned);
    }

    private Trained<AudioModel> probe(AudioRunConfig config, Split<AudioDataset> split, LabelMap labels, Progress progress) {
        long f0 = System.nanoTime();
        int samples = samples(config);
        float[][] tf;
        float[][] vf;
        float[][] test;
        try (AudioEncoder enc = AudioEncoder.open(backbone)) {
            tf = enc.features(split.train(), samples, progress);
            vf = enc.features(split.validation(), samples, progress);
            test = enc.features(split.test(), samples, progress);
        }
        long featureMillis = (System.nanoTime() - f0) / 1_000_000;
        int[] trainY = split.train().labelIndices(labels);
        List<String> warnings = Separability.warning(backbone.id(), tf, trainY, "clips");
        long p0 = System.nanoTime();
        LinearProbe.Fitted fit = LinearProbe.logistic(config.seed(), config.l2Grid())
                .fit("linear probe", labels.size(), tf, trainY, vf, split.validation().labelIndices(labels), progress);
        AudioModel model = new AudioModel(backbone, samples, fit.standardizer(), fit.model(), labels, null);
        int[] pred = Inference.argMax(model.probabilitiesOfFeatures(test));
        return new Trained<>(model, "transfer:" + backbone.id() + "+" + config.strategy().kind().id(), fit.best(),
                (System.nanoTime() - p0) / 1_000_000 + featureMillis, pred, features(backbone, config, featureMillis), null, warnings);
    }

    private static TransferRun.AudioFeatures features(AudioBackbone b, AudioRunConfig config, long millis) {
        return new TransferRun.AudioFeatures(b.id(), b.sha256(), b.sampleRate(), config.clipSeconds(),
                b.windows(b.samplesFor(config.clipSeconds())), config.augmentation().toString(), millis);
    }

    /**
     * {@code net}'s encoder made trainable with a new head over its pooled windows, trained by
     * the loop under {@code strategy} with augmented training clips, then exported so the result
     * runs on ONNX Runtime like any backbone.
     */
    private Trained<AudioModel> fineTune(AudioRunConfig config, AudioBackbone net, Strategy strategy, Split<AudioDataset> split,
            LabelMap labels, boolean fromScratch, String name, Context context) {
        AudioDataset train = split.train();
        AudioDataset validation = split.validation();
        int samples = net.samplesFor(config.clipSeconds());
        TrainConfig tc = config.training(strategy, train.size(), fromScratch);
        String task = fromScratch ? "scratch " + net.id() : "fine-tune " + strategy.kind().id();
        long t0 = System.nanoTime();
        float[][] background = config.augmentation().mixesNoise() ? noise(config, net.sampleRate()) : null;
        FineTuning.Job job = new FineTuning.Job(task, net.id(), OnnxFile.read(net.onnx()), strategy, tc, config.seed(), OnnxBlock.LoraTarget.EVERY_WEIGHT,
                labels.size(), train.labelIndices(labels), validation.labelIndices(labels),
                LinearProbe.logistic(config.seed(), config.l2Grid()),
                context.checkpoints(), context.progress());
        try (AudioEncoder frontEnd = AudioEncoder.open(net)) {
            FineTuning.Network<WindowedClassifier> network = new FineTuning.Network<>() {
                @Override
                public WindowedClassifier network(OnnxBlock body, int classes) {
                    return new WindowedClassifier(body, net.features(), classes);
                }

                @Override
                public Rows trainRows(OnnxBlock body) {
                    return new AudioRows(train, frontEnd, samples, config.augmentation(), background, config.seed());
                }

                @Override
                public Rows plainTrainRows(OnnxBlock body) {
                    return AudioRows.plain(train, frontEnd, samples);
                }

                @Override
                public Rows validationRows(OnnxBlock body) {
                    return AudioRows.plain(validation, frontEnd, samples);
                }
            };
            return FineTuning.runInto("transfer4j-audio-", job, network, (t, dir, owns) -> {
                Path onnx = dir.resolve("encoder.onnx");
                OnnxExporter.export(t.body(), onnx);
                String id = fromScratch ? net.id() + "-" + trainName(train) : net.id() + "+" + strategy.kind().id();
                AudioBackbone exported = net.withEncoder(id, onnx, Hashing.sha256Hex(onnx), net.arch());
                Model head = HeadType.copyOf(t.network().head(), labels.size(), net.features());
                AudioModel model = new AudioModel(exported, samples, Standardizer.identity(net.features()), head, labels, dir);
                owns.accept(model);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                FitResult fit = t.fit();
                TransferRun.Tuning tuning = TransferRun.Tuning.of(t, "augmentation " + config.augmentation(), null);
                int[] pred = Inference.argMax(model.probabilities(split.test(), context.progress()));
                return new Trained<>(model, name, fit, millis, pred, features(net, config, 0), tuning, List.of());
            });
        }
    }

    private static String trainName(AudioDataset d) {
        String base = d.source().contains("#") ? d.source().substring(0, d.source().indexOf('#')) : d.source();
        Path p = Path.of(base).getFileName();
        return p == null ? "clips" : p.toString().replaceFirst("\\.csv$", "");
    }

    /** The background recordings of {@code config.noise()}, read once per modality. */
    private float[][] noise(AudioRunConfig config, int rate) {
        if (noise == null) {
            Path dir = Path.of(config.noise());
            if (!Files.isDirectory(dir)) {
                throw new UserException("--noise " + dir + " is not a folder; give a folder of WAV/FLAC background recordings");
            }
            List<Path> files = LabelledFiles.search(dir, AudioDatasetReader.KIND);
            if (files.isEmpty()) {
                throw new UserException("--noise " + dir + " holds no WAV/FLAC files; give a folder of background recordings");
            }
            noise = files.stream().map(f -> AudioDatasetReader.clip(f, rate)).toArray(float[][]::new);
        }
        return noise;
    }
}
