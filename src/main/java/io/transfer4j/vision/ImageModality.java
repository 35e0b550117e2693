package io.transfer4j.vision;

import ai.djl.Model;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.backbone.ImageEncoder;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Split;
import io.transfer4j.model.ImageModel;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxExporter;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.pipeline.Context;
import io.transfer4j.pipeline.Modality;
import io.transfer4j.pipeline.StrategySelection;
import io.transfer4j.pipeline.Trained;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.select.Separability;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.train.FeatureClassifier;
import io.transfer4j.train.FineTuning;
import io.transfer4j.train.FitResult;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.ImageRows;
import io.transfer4j.train.Rows;
import io.transfer4j.train.Inference;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.train.Standardizer;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.Progress;
import java.nio.file.Path;
import java.util.List;

/**
 * Images behind the pipeline's seam: the backbone (built-in, pre-trained bundle or ONNX model)
 * frozen on ONNX Runtime with a linear head on its features, or made trainable with a new head and
 * fine-tuned under a {@link Strategy} through the one training loop (augmenting training batches
 * only); the scratch baseline is a fresh network of the backbone's architecture.
 */
public final class ImageModality implements Modality<ImageDataset, ImageModel, ImageRunConfig>,
        io.transfer4j.fewshot.EpisodicTraining<ImageDataset, ImageModel, ImageRunConfig>,
        io.transfer4j.adapt.DomainAdaptable<ImageDataset, ImageModel, ImageRunConfig>,
        io.transfer4j.selfsup.SelfSupervised<ImageDataset, ImageModel, ImageRunConfig> {
    private final ImageBackbone backbone;

    /** @param backbone as {@link ImageInputs#read} resolved it; the config's backbone reference named it */
    public ImageModality(ImageBackbone backbone) {
        this.backbone = backbone;
    }

    public ImageBackbone backbone() {
        return backbone;
    }

    @Override
    public String name() {
        return "image";
    }

    /** 1: the scratch baseline is a CNN trained for as long as the transfer, so each extra seed costs a full run of both. */
    @Override
    public int defaultSeeds(ImageRunConfig config) {
        return 1;
    }

    /**
     * The probe, partial and full fine-tuning. A small CNN fine-tunes in seconds to minutes, and
     * which one wins depends on how far the target is from the source: from Fashion-MNIST classes
     * 0-4 to 5-9 the three are within 4 points at 10 labels per class; from Fashion-MNIST to MNIST
     * digits the probe loses 18 points to scratch while partial and full stay within 1, so the
     * choice is measured on validation rather than fixed.
     */
    @Override
    public List<Strategy> autoCandidates(ImageRunConfig config) {
        return StrategySelection.probePartialFull(backbone.pretrained());
    }

    @Override
    public Trained<ImageModel> transfer(ImageRunConfig config, Split<ImageDataset> split, LabelMap labels, Context context) {
        Strategy s = config.strategy();
        if (!s.tunesBackbone()) {
            return probe(config, split, labels, context.progress());
        }
        String name = backbone.pretrained() ? "transfer:" + backbone.id() + "+" + s.kind().id() : "scratch:" + backbone.id();
        return fineTune(config, backbone, s, split, labels, !backbone.pretrained(), name, context);
    }

    @Override
    public void save(TransferRun<ImageModel, ImageRunConfig> run, Path dir, byte[] configYaml) {
        io.transfer4j.bundle.ImageBundle.save(run, dir, configYaml);
    }

    @Override
    public float[][] frozenFeatures(ImageRunConfig config, ImageDataset rows, Progress progress) {
        try (ImageEncoder enc = ImageEncoder.open(backbone)) {
            return enc.features(rows, progress);
        }
    }

    @Override
    public ImageModel frozenModel(ImageRunConfig config, Standardizer standardizer, ai.djl.Model head, LabelMap labels,
            io.transfer4j.util.WorkDirectory owned) {
        return new ImageModel(backbone, standardizer, head, labels, owned);
    }

    /**
     * The backbone meta-trained on episodes of {@code base} through the fine-tuning job: every weight
     * trained ({@link io.transfer4j.train.EpisodicNetwork}; augmented support and query images when
     * the config augments), one episode per update, validated on episodes of the held-out base images;
     * the body is exported as a pre-trained backbone named by its architecture, method
     * and data.
     */
    @Override
    public io.transfer4j.fewshot.TunedBackbone<ImageDataset, ImageModel, ImageRunConfig> metaTrain(ImageRunConfig config,
            ImageDataset train, ImageDataset validation, io.transfer4j.fewshot.MetaConfig meta, Context context) {
        LabelMap labels = train.labelMap();
        io.transfer4j.train.MetaMethod method = meta.method();
        // Adam at the meta rate, 5% warm-up then cosine decay; a wide clip only guards against a diverging episode
        io.transfer4j.train.Optimization opt = new io.transfer4j.train.Optimization(io.transfer4j.train.Optimization.Kind.ADAM, 0.9f, 0,
                io.transfer4j.train.Optimization.Schedule.COSINE, 0.05f, 10f, 1, 0, 0, 1);
        TrainConfig tc = new TrainConfig(meta.epochs(), 1, meta.learningRate(), 0, meta.epochs(), config.seed(), opt,
                TrainConfig.Selection.ACCURACY);
        String task = "meta-train " + method.id();
        FineTuning.Job job = new FineTuning.Job(task, backbone.id(), OnnxFile.read(backbone.onnx()), Strategy.of(Strategy.Kind.FULL), tc,
                config.seed(), OnnxBlock.LoraTarget.EVERY_WEIGHT, meta.ways(), new int[meta.episodes()], new int[meta.validationEpisodes()],
                null, context.checkpoints(), context.progress());
        int[] trainY = train.labelIndices(labels);
        int[] valY = validation.labelIndices(labels);
        FineTuning.Network<io.transfer4j.train.EpisodicNetwork> network = new FineTuning.Network<>() {
            @Override
            public io.transfer4j.train.EpisodicNetwork network(OnnxBlock body, int ways) {
                return new io.transfer4j.train.EpisodicNetwork(body, backbone.features(), ways, method, meta.innerSteps(), meta.innerRate());
            }

            @Override
            public Rows trainRows(OnnxBlock body) {
                return new io.transfer4j.train.EpisodeRows(new ImageRows(train, backbone.mean(), backbone.std(), config.augmentation(),
                        config.seed()), trainY, labels.size(), meta.ways(), meta.shots(), meta.queries(), meta.episodes(), config.seed(),
                        "the training images");
            }

            @Override
            public Rows plainTrainRows(OnnxBlock body) {
                return trainRows(body);
            }

            @Override
            public Rows validationRows(OnnxBlock body) {
                return new io.transfer4j.train.EpisodeRows(ImageRows.plain(validation, backbone.mean(), backbone.std()), valY, labels.size(),
                        meta.ways(), meta.shots(), meta.queries(), meta.validationEpisodes(), config.seed() + 1, "the validation images");
            }
        };
        return FineTuning.runInto("transfer4j-meta-", job, network, (t, dir, owns) -> {
            Path onnx = dir.resolve("model.onnx");
            OnnxExporter.export(t.body(), onnx);
            ImageBackbone exported = new ImageBackbone(backbone.arch() + "-" + method.id() + "-" + train.name(), onnx, Hashing.sha256Hex(onnx),
                    backbone.input(), backbone.shape(), backbone.mean(), backbone.std(), backbone.features(), backbone.arch(), true);
            var tuned = new io.transfer4j.fewshot.TunedBackbone<>(new ImageModality(exported), config.withBackbone(exported.id()),
                    TransferRun.Tuning.of(t, meta.ways() + "-way " + meta.shots() + "-shot episodes of " + meta.queries() + " queries per class, "
                            + meta.episodes() + " per epoch" + (method.hasHead() ? ", inner loop " + meta.innerSteps() + " SGD steps at "
                            + meta.innerRate() : "") + ", augmentation " + config.augmentation(), null), t.fit(), dir);
            owns.accept(tuned);
            return tuned;
        });
    }

    /** A fresh network of the backbone's architecture (or --scratch-arch); none when the backbone is itself fresh. */
    @Override
    public Trained<ImageModel> scratch(ImageRunConfig config, Split<ImageDataset> split, LabelMap labels, Context context) {
        if (!config.scratch() || !backbone.pretrained()) {
            return null;
        }
        String arch = config.scratchArchFor(backbone);
        ImageBackbone fresh = ImageInputs.freshBackbone(config, arch, split.train());
        return fineTune(config, fresh, Strategy.of(Strategy.Kind.FULL), split, labels, true, "scratch:" + arch,
                new Context(context.progress(), Checkpoints.NONE));
    }

    /** Frozen backbone on ONNX Runtime, features standardised, a logistic head with L2 chosen on validation. */
    private Trained<ImageModel> probe(ImageRunConfig config, Split<ImageDataset> split, LabelMap labels, Progress progress) {
        long f0 = System.nanoTime();
        float[][] tf;
        float[][] vf;
        float[][] test;
        try (ImageEncoder enc = ImageEncoder.open(backbone)) {
            tf = enc.features(split.train(), progress);
            vf = enc.features(split.validation(), progress);
            test = enc.features(split.test(), progress);
        }
        long featureMillis = (System.nanoTime() - f0) / 1_000_000;
        int[] trainY = split.train().labelIndices(labels);
        List<String> warnings = Separability.warning(backbone.id(), tf, trainY, "images");
        long p0 = System.nanoTime();
        LinearProbe.Fitted fit = LinearProbe.logistic(config.seed(), config.l2Grid())
                .fit("linear probe", labels.size(), tf, trainY, vf, split.validation().labelIndices(labels), progress);
        ImageModel model = new ImageModel(backbone, fit.standardizer(), fit.model(), labels);
        int[] pred = Inference.argMax(model.probabilitiesOfFeatures(test));
        return new Trained<>(model, "transfer:" + backbone.id() + "+" + config.strategy().kind().id(), fit.best(),
                (System.nanoTime() - p0) / 1_000_000 + featureMillis, pred, features(config, featureMillis), null, warnings);
    }

    private TransferRun.ImageFeatures features(ImageRunConfig config, long millis) {
        return new TransferRun.ImageFeatures(backbone.id(), backbone.sha256(), backbone.shape().toString(),
                config.augmentation().toString(), millis);
    }

    /**
     * {@code net}'s graph made trainable with a new head, trained by the loop under
     * {@code strategy} with augmented training batches (LP-FT fits the head on frozen features
     * first), then exported so that the result runs on ONNX Runtime like any backbone.
     */
    private Trained<ImageModel> fineTune(ImageRunConfig config, ImageBackbone net, Strategy strategy, Split<ImageDataset> split,
            LabelMap labels, boolean fromScratch, String name, Context context) {
        ImageDataset train = split.train();
        ImageDataset validation = split.validation();
        TrainConfig tc = config.training(strategy, train.size(), fromScratch);
        String task = fromScratch ? "scratch " + net.arch() : "fine-tune " + strategy.kind().id();
        long t0 = System.nanoTime();
        FineTuning.Job job = new FineTuning.Job(task, net.id(), OnnxFile.read(net.onnx()), strategy, tc, config.seed(), OnnxBlock.LoraTarget.EVERY_WEIGHT,
                labels.size(), train.labelIndices(labels), validation.labelIndices(labels),
                LinearProbe.logistic(config.seed(), config.l2Grid()),
                context.checkpoints(), context.progress());
        FineTuning.Network<FeatureClassifier> network = new FineTuning.Network<>() {
            @Override
            public FeatureClassifier network(OnnxBlock body, int classes) {
                return new FeatureClassifier(body, net.features(), classes);
            }

            @Override
            public Rows trainRows(OnnxBlock body) {
                return new ImageRows(train, net.mean(), net.std(), config.augmentation(), config.seed());
            }

            @Override
            public Rows plainTrainRows(OnnxBlock body) {
                return ImageRows.plain(train, net.mean(), net.std());
            }

            @Override
            public Rows validationRows(OnnxBlock body) {
                return ImageRows.plain(validation, net.mean(), net.std());
            }
        };
        return FineTuning.runInto("transfer4j-vision-", job, network, (t, dir, owns) -> {
                // A network trained here is named by what it is: its architecture and the data it learnt from.
                String id = fromScratch ? net.arch() + "-" + train.name() : net.id() + "+" + strategy.kind().id();
                ImageModel model = exported(t.body(), t.network().head(), net, id, labels, dir);
                owns.accept(model);
                return trained(model, net, name, t, "augmentation " + config.augmentation(), config, split, t0, context);
            });
    }

    /** The trained body exported to ONNX in {@code dir} under {@code id}, with a copy of the trained logistic head: a model on ONNX Runtime. */
    private static ImageModel exported(OnnxBlock body, ai.djl.nn.Block head, ImageBackbone net, String id, LabelMap labels,
            io.transfer4j.util.WorkDirectory dir) throws java.io.IOException {
        Path onnx = dir.resolve("model.onnx");
        OnnxExporter.export(body, onnx);
        ImageBackbone exported = new ImageBackbone(id, onnx, Hashing.sha256Hex(onnx), net.input(), net.shape(),
                net.mean(), net.std(), net.features(), net.arch(), true);
        return new ImageModel(exported, Standardizer.identity(net.features()), HeadType.copyOf(head, labels.size(), net.features()), labels,
                dir);
    }

    /** A fine-tuned model as the pipeline records it, scored on the split's test rows. */
    private static Trained<ImageModel> trained(ImageModel model, ImageBackbone net, String name, FineTuning.Tuned<?> t, String input,
            ImageRunConfig config, Split<ImageDataset> split, long t0, Context context) {
        long millis = (System.nanoTime() - t0) / 1_000_000;
        int[] pred = Inference.argMax(model.probabilities(split.test(), context.progress()));
        return new Trained<>(model, name, t.fit(), millis, pred, new TransferRun.ImageFeatures(net.id(), net.sha256(),
                net.shape().toString(), config.augmentation().toString(), 0), TransferRun.Tuning.of(t, input, null), List.of());
    }

    /** Every method; adabn only when the network has BatchNorm layers. */
    @Override
    public List<io.transfer4j.adapt.Method> methods(ImageRunConfig config) {
        boolean bn = OnnxFile.read(backbone.onnx()).model().getGraph().getNodeList().stream()
                .anyMatch(n -> n.getOpType().equals("BatchNormalization"));
        return io.transfer4j.adapt.Method.concrete().stream().filter(m -> bn || m != io.transfer4j.adapt.Method.ADABN).toList();
    }

    @Override
    public String unavailable(ImageRunConfig config, io.transfer4j.adapt.Method method) {
        return method.id() + " re-estimates BatchNorm statistics, and " + backbone.id() + " has no BatchNormalization node; "
                + "choose another --method (coral, dan, dann, cdan, self-training) or auto";
    }

    /**
     * The backbone (or the fresh network it names) trained on the source split under the config's
     * strategy (a linear probe cannot move the features, so it becomes full fine-tuning) with the
     * method's objective over source and target batches; adabn re-estimates the trained network's
     * BatchNorm statistics on the target images before export.
     */
    @Override
    public Trained<ImageModel> adapt(ImageRunConfig config, Split<ImageDataset> split, ImageDataset target, io.transfer4j.adapt.Method method,
            io.transfer4j.adapt.AdaptConfig settings, Context context) {
        Strategy strategy = config.strategy().tunesBackbone() ? config.strategy() : Strategy.of(Strategy.Kind.FULL);
        ImageDataset train = split.train();
        boolean fresh = !backbone.pretrained();
        TrainConfig tc = config.training(strategy, train.size(), fresh);
        String task = "adapt " + method.id();
        long t0 = System.nanoTime();
        LabelMap labels = train.labelMap();
        int[] trainY = train.labelIndices(labels);
        FineTuning.Job job = new FineTuning.Job(task, backbone.id(), OnnxFile.read(backbone.onnx()), strategy, tc, config.seed(),
                OnnxBlock.LoraTarget.EVERY_WEIGHT, labels.size(), trainY, split.validation().labelIndices(labels),
                LinearProbe.logistic(config.seed(), config.l2Grid()), Checkpoints.NONE, context.progress());
        var objective = new io.transfer4j.adapt.DomainObjective(method, settings.tradeOff(), settings.threshold(), config.seed());
        FineTuning.Network<io.transfer4j.adapt.AdaptiveNetwork> network = new FineTuning.Network<>() {
            @Override
            public io.transfer4j.adapt.AdaptiveNetwork network(OnnxBlock body, int classes) {
                return new io.transfer4j.adapt.AdaptiveNetwork(body, backbone.features(), classes, objective);
            }

            @Override
            public Rows trainRows(OnnxBlock body) {
                Rows source = new ImageRows(train, backbone.mean(), backbone.std(), config.augmentation(), config.seed());
                if (!method.alignsDomains()) {
                    return source;
                }
                Rows strong = method == io.transfer4j.adapt.Method.SELF_TRAINING
                        ? new ImageRows(target, backbone.mean(), backbone.std(), settings.strongAugmentation(), config.seed() + 1) : null;
                return new io.transfer4j.adapt.DomainRows(source, trainY, labels.size(), ImageRows.plain(target, backbone.mean(), backbone.std()),
                        strong, config.seed());
            }

            @Override
            public Rows plainTrainRows(OnnxBlock body) {
                return ImageRows.plain(train, backbone.mean(), backbone.std());
            }

            @Override
            public Rows validationRows(OnnxBlock body) {
                return ImageRows.plain(split.validation(), backbone.mean(), backbone.std());
            }
        };
        return FineTuning.runInto("transfer4j-adapt-", job, network, (t, dir, owns) -> {
            String input = "augmentation " + config.augmentation();
            if (method == io.transfer4j.adapt.Method.ADABN) {
                int batches = io.transfer4j.adapt.BatchNormStatistics.reestimate(t.body(), ImageRows.plain(target, backbone.mean(), backbone.std()), tc.batchSize(), context.progress());
                input += ", BatchNorm statistics from " + batches + " target batches";
            } else if (method.alignsDomains()) {
                input += ", " + method.description() + " on " + target.size() + " unlabelled target images (trade-off "
                        + settings.tradeOff() + (method == io.transfer4j.adapt.Method.SELF_TRAINING ? ", threshold " + settings.threshold()
                        + ", target view " + settings.strongAugmentation() : "") + ")";
            }
            ImageModel model = exported(t.body(), t.network().head(), backbone, backbone.id() + "+" + method.id(), labels, dir);
            owns.accept(model);
            return trained(model, backbone, "adapt:" + backbone.id() + "+" + method.id(), t, input, config, split, t0, context);
        });
    }

    /**
     * SimCLR through the fine-tuning job: every weight of the backbone (or the fresh network it names)
     * plus a projection head trained on NT-Xent over two augmented views of each image, Adam with 5%
     * warm-up and cosine decay, the epoch of lowest validation loss kept; the body without the
     * projection is exported as a pre-trained backbone named by its architecture, method and data.
     */
    @Override
    public io.transfer4j.fewshot.TunedBackbone<ImageDataset, ImageModel, ImageRunConfig> pretrainContrastive(ImageRunConfig config,
            ImageDataset train, ImageDataset validation, io.transfer4j.selfsup.ContrastiveConfig cc, Context context) {
        io.transfer4j.train.Optimization opt = new io.transfer4j.train.Optimization(io.transfer4j.train.Optimization.Kind.ADAM, 0.9f, 0,
                io.transfer4j.train.Optimization.Schedule.COSINE, 0.05f, 5f, 1, 0, 0, 1);
        int batch = Math.min(cc.batchSize(), train.size());
        // patience = every epoch: the cosine schedule runs to its end, and the best epoch is restored
        TrainConfig tc = new TrainConfig(cc.epochs(), batch, cc.learningRate(), 0, cc.epochs(), config.seed(), opt,
                TrainConfig.Selection.LOSS);
        FineTuning.Job job = new FineTuning.Job("pretrain simclr", backbone.id(), OnnxFile.read(backbone.onnx()),
                Strategy.of(Strategy.Kind.FULL), tc, config.seed(), OnnxBlock.LoraTarget.EVERY_WEIGHT, 1, new int[train.size()],
                new int[validation.size()], null, context.checkpoints(), context.progress());
        FineTuning.Network<io.transfer4j.selfsup.ProjectionNetwork> network = new FineTuning.Network<>() {
            @Override
            public io.transfer4j.selfsup.ProjectionNetwork network(OnnxBlock body, int classes) {
                return new io.transfer4j.selfsup.ProjectionNetwork(body, backbone.features(), cc);
            }

            @Override
            public Rows trainRows(OnnxBlock body) {
                return views(train, config.seed());
            }

            @Override
            public Rows plainTrainRows(OnnxBlock body) {
                return trainRows(body);
            }

            @Override
            public Rows validationRows(OnnxBlock body) {
                // views fixed by their own seeds, so every epoch is validated on the same pairs
                return views(validation, config.seed() + 2);
            }

            private Rows views(ImageDataset d, long seed) {
                return new io.transfer4j.selfsup.ViewRows(new ImageRows(d, backbone.mean(), backbone.std(), cc.views(), seed * 2),
                        new ImageRows(d, backbone.mean(), backbone.std(), cc.views(), seed * 2 + 1));
            }
        };
        return FineTuning.runInto("transfer4j-simclr-", job, network, (t, dir, owns) -> {
            Path onnx = dir.resolve("model.onnx");
            OnnxExporter.export(t.body(), onnx);
            ImageBackbone exported = new ImageBackbone(backbone.arch() + "-simclr-" + train.name(), onnx, Hashing.sha256Hex(onnx),
                    backbone.input(), backbone.shape(), backbone.mean(), backbone.std(), backbone.features(), backbone.arch(), true);
            int hidden = cc.projectionHidden() > 0 ? cc.projectionHidden() : backbone.features();
            var tuned = new io.transfer4j.fewshot.TunedBackbone<>(new ImageModality(exported), config.withBackbone(exported.id()),
                    TransferRun.Tuning.of(t, "two views of each image (" + cc.views() + "), NT-Xent at temperature " + cc.temperature()
                            + " over a " + hidden + "-" + cc.projectionDim() + " projection head (dropped), batch " + batch, null),
                    t.fit(), dir);
            owns.accept(tuned);
            return tuned;
        });
    }

    @Override
    public void saveBackbone(io.transfer4j.fewshot.TunedBackbone<ImageDataset, ImageModel, ImageRunConfig> tuned, Path dir,
            byte[] summary, byte[] configYaml) {
        io.transfer4j.bundle.ImageBundle.saveBackbone(((ImageModality) tuned.modality()).backbone(), tuned.config(), dir, summary,
                configYaml);
    }

    @Override
    public float[][] modelFeatures(ImageModel model, ImageDataset rows, Progress progress) {
        try (ImageEncoder enc = ImageEncoder.open(model.backbone())) {
            return model.standardizer().apply(enc.features(rows, progress));
        }
    }
}
