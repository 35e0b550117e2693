package io.transfer4j.text;

import io.transfer4j.pipeline.Trained;
import io.transfer4j.run.RunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.backbone.ModelSource;
import io.transfer4j.backbone.Pooling;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.TextDataset;
import io.transfer4j.onnx.GraphEdits;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxExporter;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.train.EncoderClassifier;
import io.transfer4j.train.EncoderRows;
import io.transfer4j.train.FineTuning;
import io.transfer4j.train.Rows;
import io.transfer4j.train.FitResult;
import io.transfer4j.train.LearningRates;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.train.HeadType;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.train.Standardizer;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fine-tunes an imported encoder with a new head under a {@link Strategy}, then exports the tuned
 * encoder to ONNX so that the result is an ordinary {@link ProbeClassifier}: the same bundle,
 * predict and evaluate paths as a linear probe, with the tuned weights as its backbone.
 */
final class FineTuner {
    /** Longest token sequence used when fine-tuning unless the run asks for another. */
    static final int DEFAULT_MAX_LENGTH = 128;

    private FineTuner() {}

    static int maxLength(RunConfig config, BackboneSpec spec) {
        int len = config.maxLength() > 0 ? config.maxLength() : Math.min(DEFAULT_MAX_LENGTH, spec.maxLength());
        if (len > spec.maxLength()) {
            throw new UserException("--max-length " + len + " exceeds what " + spec.id() + " supports (" + spec.maxLength()
                    + " tokens); use at most " + spec.maxLength());
        }
        return len;
    }

    static Trained<ProbeClassifier> run(RunConfig config, BackboneSpec spec, BackboneFiles files, LabelMap labels, TextDataset train,
            TextDataset validation, TextDataset test, Checkpoints checkpoints, Progress progress) {
        Strategy strategy = config.strategy();
        int maxLength = maxLength(config, spec);
        long[][] trainIds;
        long[][] valIds;
        int width;
        try (TextEncoder enc = TextEncoder.open(spec, files, maxLength, 32, 1)) {
            width = enc.width();
            trainIds = enc.tokenize(train.texts()).ids();
            valIds = enc.tokenize(validation.texts()).ids();
        }
        int[] trainY = train.labelIndices(labels);
        int[] valY = validation.labelIndices(labels);
        TrainConfig tc = LearningRates.resolve(config.tuning().withSeed(config.seed()), LearningRates.text(strategy));
        Checkpoints ck = checkpoints.enabled()
                ? new Checkpoints(checkpoints.dir().resolve("seed-" + config.seed() + "-" + strategy.kind().id()), checkpoints.everySteps(),
                        checkpoints.resume(), checkpoints.interruptAfter())
                : checkpoints;
        FineTuning.Job job = new FineTuning.Job("fine-tune " + strategy.kind().id(), spec.id(), tokenStates(files), strategy, tc, config.seed(),
                ENCODER_LAYERS, labels.size(), trainY, valY,
                new LinearProbe(HeadType.LOGISTIC, 0, config.headTraining().withSeed(config.seed()), config.l2Grid()), ck, progress);
        FineTuning.Network<EncoderClassifier> network = new FineTuning.Network<>() {
            @Override
            public EncoderClassifier network(OnnxBlock body, int classes) {
                return new EncoderClassifier(body, width, classes);
            }

            @Override
            public Rows trainRows(OnnxBlock body) {
                return new EncoderRows(trainIds, body.inputNames());
            }

            @Override
            public Rows plainTrainRows(OnnxBlock body) {
                return trainRows(body);
            }

            @Override
            public Rows validationRows(OnnxBlock body) {
                return new EncoderRows(valIds, body.inputNames());
            }
        };
        return FineTuning.runInto("transfer4j-tuned-", job, network, (t, work, owns) -> {
                BackboneSpec tunedSpec = exportEncoder(t.body(), spec, files, work, strategy.kind().id(), Pooling.MEAN, maxLength, width);
                BackboneFiles tunedFiles = BackboneLocator.standard().locate(tunedSpec);
                FeatureExtractor fx = FeatureExtractor.of(tunedSpec, tunedFiles, maxLength, 1, false);
                // the classifier owns the tuned encoder's folder from here on: closing it removes the files
                ProbeClassifier classifier = new ProbeClassifier(fx, Standardizer.identity(width), HeadType.LOGISTIC, 0,
                        HeadType.copyOf(t.network().head(), labels.size(), width), labels, work);
                owns.accept(classifier);
                long e0 = System.nanoTime();
                int[] pred = io.transfer4j.train.Inference.argMax(classifier.probabilities(test.texts(), progress));
                long testMillis = (System.nanoTime() - e0) / 1_000_000;
                FeatureExtractor.Stats st = fx.stats();
                TransferRun.EmbeddingStats es = new TransferRun.EmbeddingStats(tunedSpec.id(), tunedFiles.sha256(), st.encoded(),
                        st.cacheHits(), st.truncated(), st.encodeMillis(), testMillis, maxLength);
                FitResult fit = t.fit();
                TransferRun.Tuning tuning = TransferRun.Tuning.of(t, "texts cut to " + maxLength + " tokens", work.path());
                return new Trained<>(classifier, "transfer:" + spec.id() + "+" + strategy.kind().id(), fit, fit.millis(), pred, es,
                        tuning, List.of());
            });
    }

    /** The encoder cut to its first output (token states): pruning the rest leaves no weight without a gradient. */
    static OnnxFile tokenStates(BackboneFiles files) {
        OnnxFile source = OnnxFile.read(files.onnx());
        return GraphEdits.cutAt(source, List.of(source.model().getGraph().getOutput(0).getName()));
    }

    /**
     * The tuned encoder written into {@code work} (graph and tokenizer) and described as a backbone
     * named {@code spec.id()+how}, pooled by {@code pooling} as it was trained.
     */
    static BackboneSpec exportEncoder(io.transfer4j.onnx.OnnxBlock body, BackboneSpec spec, BackboneFiles files,
            io.transfer4j.util.WorkDirectory work, String how, Pooling pooling, int maxLength, int width) throws java.io.IOException {
        Path onnx = work.resolve("model.onnx");
        Path tokenizer = work.resolve("tokenizer.json");
        OnnxExporter.export(body, onnx);
        Files.copy(files.tokenizer(), tokenizer);
        return new BackboneSpec(spec.id() + "+" + how, spec.name() + ", fine-tuned (" + how + ")", new ModelSource.Files(onnx, tokenizer),
                pooling, spec.prefix(), maxLength, width, spec.licence(), spec.pretrainedOn(), (int) Math.max(1, Files.size(onnx) >> 20));
    }

    /** PEFT's practice for BERT-like encoders, widened to every projection inside the layers. */
    private static final OnnxBlock.LoraTarget ENCODER_LAYERS =
            (weight, node, group) -> group.matches(".*layer.*\\d+") && !node.toLowerCase().contains("embed");
}
