package io.transfer4j.text;

import io.transfer4j.pipeline.Trained;
import io.transfer4j.run.RunConfig;
import io.transfer4j.run.TransferRun;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import io.transfer4j.backbone.BackboneFiles;
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
import io.transfer4j.train.FitResult;
import io.transfer4j.train.LearningRates;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.train.LoraTargets;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.ParameterTable;
import io.transfer4j.train.ProbeFirst;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.train.Standardizer;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.train.TrainingLoop;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import io.transfer4j.util.WorkDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        WorkDirectory work = WorkDirectory.create("transfer4j-tuned-");
        ProbeClassifier classifier = null;
        Checkpoints ck = checkpoints.enabled()
                ? new Checkpoints(checkpoints.dir().resolve("seed-" + config.seed() + "-" + strategy.kind().id()), checkpoints.everySteps(),
                        checkpoints.resume(), checkpoints.interruptAfter())
                : checkpoints;
        try (Model model = Model.newInstance("fine-tune", Device.cpu(), "PyTorch")) {
            OnnxFile source = OnnxFile.read(files.onnx());
            // Only the first output (token states) feeds the head; pruning the rest leaves no weight without a gradient.
            String hiddenStates = source.model().getGraph().getOutput(0).getName();
            OnnxBlock encoder = OnnxBlock.load(GraphEdits.cutAt(source, List.of(hiddenStates)), model.getNDManager());
            io.transfer4j.train.Seeds.beforeInit(config.seed());
            List<String> adapted = List.of();
            if (strategy.kind() == Strategy.Kind.LORA) {
                adapted = encoder.addLora(strategy.loraRank(), strategy.loraAlpha(), LoraTargets.of(strategy, ENCODER_LAYERS),
                        model.getNDManager());
                if (adapted.isEmpty()) {
                    throw new UserException("no weight of " + spec.id() + " matches the LoRA targets '" + strategy.loraTargets()
                            + "'; give --lora-targets a regex over weight or node names (see `onnx inspect`)");
                }
            }
            EncoderClassifier net = new EncoderClassifier(encoder, width, labels.size());
            model.setBlock(net);
            EncoderRows trainRows = new EncoderRows(trainIds, encoder.inputNames());
            EncoderRows valRows = new EncoderRows(valIds, encoder.inputNames());
            net.initialize(model.getNDManager(), DataType.FLOAT32, trainRows.shapes(Math.min(tc.batchSize(), trainIds.length)));
            if (strategy.kind() == Strategy.Kind.LP_FT) {
                ProbeFirst.fit(net, model, trainRows, trainY, valRows, valY, labels.size(),
                        new LinearProbe(HeadType.LOGISTIC, 0, config.headTraining().withSeed(config.seed()), config.l2Grid()), progress);
            }
            ParameterTable table = net.table();
            long total = table.trainableTotal();
            long trainable = table.trainedBy(strategy, tc);
            FitResult fit;
            try (Progress.Task task = progress.start("fine-tune " + strategy.kind().id(),
                    TrainingLoop.maxSteps(trainIds.length, tc), "batches")) {
                fit = TrainingLoop.fit(model, trainRows, trainY, valRows, valY, tc,
                        new TrainingLoop.Tuning(table, strategy, ck), "fine-tune", task);
            }
            Path onnx = work.resolve("model.onnx");
            Path tokenizer = work.resolve("tokenizer.json");
            OnnxExporter.export(encoder, onnx);
            Files.copy(files.tokenizer(), tokenizer);
            BackboneSpec tunedSpec = new BackboneSpec(spec.id() + "+" + strategy.kind().id(),
                    spec.name() + ", fine-tuned (" + strategy.kind().id() + ")", new ModelSource.Files(onnx, tokenizer),
                    Pooling.MEAN, spec.prefix(), maxLength, width, spec.licence(), spec.pretrainedOn(),
                    (int) Math.max(1, Files.size(onnx) >> 20));
            BackboneFiles tunedFiles = new BackboneFiles(onnx, tokenizer, Hashing.sha256Hex(onnx));
            FeatureExtractor fx = FeatureExtractor.of(tunedSpec, tunedFiles, maxLength, 1, false);
            // the classifier owns the tuned encoder's folder from here on: closing it removes the files
            classifier = new ProbeClassifier(fx, Standardizer.identity(width), HeadType.LOGISTIC, 0,
                    HeadType.copyOf(net.head(), labels.size(), width), labels, work);
            long e0 = System.nanoTime();
            int[] pred = io.transfer4j.train.Inference.argMax(classifier.probabilities(test.texts(), progress));
            long testMillis = (System.nanoTime() - e0) / 1_000_000;
            FeatureExtractor.Stats st = fx.stats();
            TransferRun.EmbeddingStats es = new TransferRun.EmbeddingStats(tunedSpec.id(), tunedFiles.sha256(), st.encoded(),
                    st.cacheHits(), st.truncated(), st.encodeMillis(), testMillis, maxLength);
            TransferRun.Tuning tuning = new TransferRun.Tuning(strategy.kind().id(), trainable, total,
                    fit.history().isEmpty() ? 0 : fit.millis() / fit.history().size(), adapted.size(),
                    "texts cut to " + maxLength + " tokens", tc.learningRate(), work.path());
            return new Trained<>(classifier, "transfer:" + spec.id() + "+" + strategy.kind().id(), fit, fit.millis(), pred, es,
                    tuning, List.of());
        } catch (IOException | RuntimeException e) {
            // a failed run frees what it made: the classifier (native head, ONNX session) and the tuned files
            if (classifier != null) {
                classifier.close();
            } else {
                work.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** PEFT's practice for BERT-like encoders, widened to every projection inside the layers. */
    private static final OnnxBlock.LoraTarget ENCODER_LAYERS =
            (weight, node, group) -> group.matches(".*layer.*\\d+") && !node.toLowerCase().contains("embed");
}
