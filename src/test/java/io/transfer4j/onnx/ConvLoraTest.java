package io.transfer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.transfer4j.backbone.Architectures;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA on convolutions (PEFT's Conv2d form: A a convolution to r channels with the kernel's own
 * geometry, B a 1x1 convolution back): the adapted network starts as the original, the adapters
 * change it once B moves, and merging B·A into the kernel on export computes exactly what the
 * adapters did, on ONNX Runtime too. Depthwise (grouped) kernels are left alone.
 */
class ConvLoraTest {
    @TempDir Path dir;

    @Test
    void convAdaptersStartAsTheNetworkAndMergeExactlyOnExport() throws Exception {
        Path onnx = dir.resolve("mobilenet.onnx");
        Files.write(onnx, Architectures.build("mobilenetv2", 3, 32, 3).model().toByteArray());
        OnnxFile file = OnnxFile.read(onnx);
        long ungrouped = file.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv"))
                .filter(n -> n.getAttributeList().stream().noneMatch(a -> a.getName().equals("group") && a.getI() != 1)).count();
        long grouped = file.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv")).count() - ungrouped;
        assertTrue(grouped > 0, "MobileNetV2 has depthwise convolutions");
        Path exported = dir.resolve("merged.onnx");
        float[] adaptedOut;
        try (Model m = Model.newInstance("cnn", Device.cpu(), "PyTorch"); NDManager data = m.getNDManager().newSubManager()) {
            OnnxBlock block = OnnxBlock.load(file, m.getNDManager());
            NDList in = new NDList(data.randomUniform(0, 1, new Shape(2, 3, 32, 32)));
            float[] plain = block.forward(new ParameterStore(data, false), in, false).head().toFloatArray();
            var adapted = block.addLora(4, 8, (w, node, group) -> true, m.getNDManager());
            long dense = file.model().getGraph().getNodeList().stream().map(NodeProto::getOpType)
                    .filter(op -> op.equals("Gemm") || op.equals("MatMul")).count();
            assertTrue(adapted.size() >= ungrouped && adapted.size() <= ungrouped + dense,
                    "every ungrouped convolution adapted, no depthwise one: " + adapted.size() + " of " + ungrouped + " + " + dense);
            float[] start = block.forward(new ParameterStore(data, false), in, false).head().toFloatArray();
            assertEquals(0, Graphs.maxDiff(plain, start), 1e-6, "B starts at zero: the adapted network is the original");
            block.getParameters().forEach(p -> {
                if (p.getValue().getName().endsWith(".lora_B")) {
                    io.transfer4j.train.Weights.assign(p.getValue().getArray(),
                            data.randomNormal(0, 0.05f, p.getValue().getArray().getShape(), DataType.FLOAT32).toFloatArray());
                }
            });
            adaptedOut = block.forward(new ParameterStore(data, false), in, false).head().toFloatArray();
            assertTrue(Graphs.maxDiff(plain, adaptedOut) > 1e-3, "the adapters change the output: " + Graphs.maxDiff(plain, adaptedOut));
            OnnxExporter.export(block, exported);
            try (Model m2 = Model.newInstance("merged", Device.cpu(), "PyTorch")) {
                OnnxBlock merged = OnnxBlock.load(OnnxFile.read(exported), m2.getNDManager());
                float[] mergedOut = merged.forward(new ParameterStore(data, false), in, false).head().toFloatArray();
                assertTrue(Graphs.maxDiff(adaptedOut, mergedOut) < 1e-4, "merged kernels compute what the adapters did: "
                        + Graphs.maxDiff(adaptedOut, mergedOut));
            }
        }
        var feeds = OnnxChecker.randomFeeds(OnnxFile.read(exported), 2, 32, 5);
        assertTrue(OnnxChecker.check(OnnxFile.read(exported), feeds).worst() <= 1e-4, "ONNX Runtime runs the merged file");
    }
}
