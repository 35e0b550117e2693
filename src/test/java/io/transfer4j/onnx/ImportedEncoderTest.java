package io.transfer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default encoder (int8 bge-small-en-v1.5) imported as a trainable block: it matches ONNX
 * Runtime, trains, and exports to a file ONNX Runtime runs to the same outputs.
 */
class ImportedEncoderTest {
    @TempDir Path dir;

    private static BackboneFiles defaultEncoder() {
        BackboneSpec spec = BackboneCatalogue.load().resolve(BackboneCatalogue.DEFAULT_ID);
        return BackboneLocator.standard().locate(spec);
    }

    private static final List<String> SENTENCES = List.of("A moving, beautifully acted film that stays with you.",
            "Dull and far too long; I checked my watch twice.");

    @Test
    void quantisedEncoderImportsWithFloatWeightsInGroupsAndStaysCloseToOnnxRuntime() {
        BackboneFiles f = defaultEncoder();
        OnnxFile file = OnnxFile.read(f.onnx());
        List<OnnxChecker.Feed> feeds = OnnxChecker.textFeeds(file, f.tokenizer(), SENTENCES, 64);
        OnnxChecker.Result r = OnnxChecker.check(file, feeds);
        // Activations are no longer int8 after import: the bound is the activation quantisation
        // error (about 0.2 here; ONNX Runtime's own int8 vs fp32 outputs differ by several units).
        assertTrue(r.worst() < 0.5, "max abs diff vs ONNX Runtime int8: " + r.worst());
        try (Model m = Model.newInstance("enc", Device.cpu(), "PyTorch")) {
            OnnxBlock block = OnnxBlock.load(file, m.getNDManager());
            assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), block.inputNames());
            long groups = block.parameterGroups().values().stream().distinct().count();
            assertTrue(block.parameterGroups().containsValue("embeddings"), block.parameterGroups().values().toString());
            assertTrue(block.parameterGroups().containsValue("encoder.layer.11"), "12 encoder layers");
            assertTrue(groups >= 13, "groups: " + groups);
        }
    }

    @Test
    void fineTuneAFewStepsThenExportAndOnnxRuntimeAgrees() {
        BackboneFiles f = defaultEncoder();
        OnnxFile file = OnnxFile.read(f.onnx());
        List<OnnxChecker.Feed> feeds = OnnxChecker.textFeeds(file, f.tokenizer(), SENTENCES, 64);
        Path exported = dir.resolve("tuned.onnx");
        double first;
        double last = 0;
        try (Model m = Model.newInstance("enc", Device.cpu(), "PyTorch")) {
            OnnxBlock block = OnnxBlock.load(file, m.getNDManager());
            m.setBlock(block);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build());
            try (Trainer trainer = m.newTrainer(cfg); NDManager data = m.getNDManager().newSubManager()) {
                NDList in = new NDList();
                for (OnnxChecker.Feed feed : feeds) {
                    in.add(data.create(feed.longs(), new Shape(feed.shape())));
                }
                first = Double.NaN;
                for (int step = 0; step < 3; step++) {
                    try (NDManager s = data.newSubManager(); GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray cls = trainer.forward(in).head().get(":, 0, :");
                        cls.attach(s);
                        NDArray loss = cls.square().mean();
                        loss.attach(s);
                        double v = loss.getFloat();
                        first = Double.isNaN(first) ? v : first;
                        last = v;
                        gc.backward(loss);
                    }
                    trainer.step();
                }
            }
            assertTrue(last < first, "training lowers the loss: " + first + " -> " + last);
            OnnxExporter.export(block, exported);
            // ONNX Runtime on the exported file agrees with the fine-tuned block
            OnnxChecker.Result r = OnnxChecker.check(OnnxFile.read(exported), feeds);
            assertTrue(r.worst() <= 1e-4, "exported vs interpreter: " + r.worst());
        }
    }

    @Test
    void loraStartsAsTheOriginalNetworkAndMergesExactlyOnExport() {
        BackboneFiles f = defaultEncoder();
        OnnxFile file = OnnxFile.read(f.onnx());
        List<OnnxChecker.Feed> feeds = OnnxChecker.textFeeds(file, f.tokenizer(), SENTENCES, 32);
        Path exported = dir.resolve("merged.onnx");
        try (Model m = Model.newInstance("enc", Device.cpu(), "PyTorch"); NDManager data = m.getNDManager().newSubManager()) {
            OnnxBlock block = OnnxBlock.load(file, m.getNDManager());
            NDList in = new NDList();
            for (OnnxChecker.Feed feed : feeds) {
                in.add(data.create(feed.longs(), new Shape(feed.shape())));
            }
            float[] plain = block.forward(new ParameterStore(data, false), in, false).head().toFloatArray();
            List<String> adapted = block.addLora(4, 8, (w, node, group) -> group.matches(".*layer.*\\d+"), m.getNDManager());
            assertEquals(72, adapted.size(), "q, k, v, output, two feed-forward weights in each of 12 layers");
            float[] start = block.forward(new ParameterStore(data, false), in, false).head().toFloatArray();
            assertEquals(0, Graphs.maxDiff(plain, start), 1e-6, "B starts at zero: the adapted network is the original");
            block.getParameters().forEach(p -> {
                if (p.getValue().getName().endsWith(".lora_B")) {
                    io.transfer4j.train.Weights.assign(p.getValue().getArray(), data.randomNormal(0, 0.05f,
                            p.getValue().getArray().getShape(), ai.djl.ndarray.types.DataType.FLOAT32).toFloatArray());
                }
            });
            float[] adaptedOut = block.forward(new ParameterStore(data, false), in, false).head().toFloatArray();
            assertTrue(Graphs.maxDiff(plain, adaptedOut) > 1e-2, "the adapters change the output");
            OnnxExporter.export(block, exported);
            try (Model m2 = Model.newInstance("merged", Device.cpu(), "PyTorch")) {
                OnnxBlock merged = OnnxBlock.load(OnnxFile.read(exported), m2.getNDManager());
                float[] mergedOut = merged.forward(new ParameterStore(data, false), in, false).head().toFloatArray();
                assertTrue(Graphs.maxDiff(adaptedOut, mergedOut) < 1e-4, "merged weights compute what the adapters did: "
                        + Graphs.maxDiff(adaptedOut, mergedOut));
            }
        }
        assertTrue(OnnxChecker.check(OnnxFile.read(exported), feeds).worst() <= 1e-4, "ONNX Runtime runs the merged file");
    }

    @Test
    void cutAtAnInnerLayerAppendAHeadAndTrainIt() {
        BackboneFiles f = defaultEncoder();
        String layer3 = "/encoder/layer.3/output/LayerNorm/Add_1_output_0";
        OnnxFile cut = GraphEdits.cutAt(OnnxFile.read(f.onnx()), List.of(layer3));
        List<OnnxChecker.Feed> feeds = OnnxChecker.textFeeds(cut, f.tokenizer(), SENTENCES, 64);
        try (Model m = Model.newInstance("cut", Device.cpu(), "PyTorch")) {
            OnnxBlock block = OnnxBlock.load(cut, m.getNDManager());
            assertEquals(List.of(layer3), block.outputNames());
            assertTrue(block.parameterGroups().values().stream().noneMatch(g -> g.equals("encoder.layer.4")),
                    "layers after the cut are gone");
            // ONNX Runtime on the exported cut graph agrees
            Path exported = dir.resolve("cut.onnx");
            OnnxExporter.export(block, exported);
            OnnxChecker.Result r = OnnxChecker.check(OnnxFile.read(exported), feeds);
            assertTrue(r.worst() <= 1e-4, "cut graph vs ONNX Runtime: " + r.worst());
            assertEquals(384, r.outputs().get(0).shape()[2]);

            // a new head: mean over tokens, then a linear layer for two classes
            ai.djl.nn.SequentialBlock net = new ai.djl.nn.SequentialBlock().add(block)
                    .add(new ai.djl.nn.LambdaBlock(x -> new NDList(x.head().mean(new int[] {1}))))
                    .add(ai.djl.nn.core.Linear.builder().setUnits(2).build());
            m.setBlock(net);
            block.freezeParameters(true);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build());
            try (Trainer trainer = m.newTrainer(cfg); NDManager data = m.getNDManager().newSubManager()) {
                NDList in = new NDList();
                Shape shape = new Shape(feeds.get(0).shape());
                for (OnnxChecker.Feed feed : feeds) {
                    in.add(data.create(feed.longs(), shape));
                }
                trainer.initialize(shape, shape, shape);
                NDArray labels = data.create(new long[] {1, 0});
                double first = Double.NaN;
                double last = 0;
                for (int step = 0; step < 5; step++) {
                    try (NDManager s = data.newSubManager(); GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray loss = trainer.getLoss().evaluate(new NDList(labels), trainer.forward(in));
                        loss.attach(s);
                        last = loss.getFloat();
                        first = Double.isNaN(first) ? last : first;
                        gc.backward(loss);
                    }
                    trainer.step();
                }
                assertTrue(last < first, "the head learns: " + first + " -> " + last);
            }
        }
    }
}
