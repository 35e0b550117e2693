package io.transfer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.transfer4j.backbone.Architectures;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.backbone.ImageBackbones;
import io.transfer4j.data.ImageShape;
import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.onnx.proto.Onnx.ValueInfoProto;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image classifier exported the way Paddle does it (every weight a Constant node, a MatMul head)
 * becomes a trainable feature extractor: the default feature layer is what the head reads, a 4-D
 * layer is average-pooled, and the Constant weights become parameters.
 */
class FeatureGraphsTest {
    @TempDir Path dir;

    /** smallcnn's features followed by a 256x10 MatMul head, with every initializer turned into a Constant node. */
    private Path paddleLike() throws Exception {
        ModelProto m = Architectures.build("smallcnn", 1, 16, 5).model();
        GraphProto g = m.getGraph();
        GraphProto.Builder b = g.toBuilder().clearInitializer().clearNode().clearOutput();
        for (TensorProto t : g.getInitializerList()) {
            b.addNode(NodeProto.newBuilder().setOpType("Constant").setName("const/" + t.getName()).addOutput(t.getName())
                    .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(t)));
        }
        b.addAllNode(g.getNodeList());
        float[] w = new float[256 * 10];
        Random rng = new Random(1);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian() * 0.05f;
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(w.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(w);
        b.addNode(NodeProto.newBuilder().setOpType("Constant").setName("const/fc").addOutput("fc.w").addAttribute(AttributeProto
                .newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(TensorProto.newBuilder().setName("fc.w")
                        .setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(256).addDims(10)
                        .setRawData(com.google.protobuf.ByteString.copyFrom(buf.array())))));
        b.addNode(NodeProto.newBuilder().setOpType("MatMul").setName("fc").addInput(Architectures.OUTPUT).addInput("fc.w").addOutput("logits"));
        b.addOutput(ValueInfoProto.newBuilder().setName("logits").setType(g.getOutput(0).getType()));
        b.addOutput(g.getOutput(0)); // the features too, so the test can read them from ONNX Runtime
        Path f = dir.resolve("paddle-like.onnx");
        Files.write(f, m.toBuilder().setGraph(b).build().toByteArray());
        return f;
    }

    private static float[][] run(Path model, String output, float[] x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toString());
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {2, 1, 16, 16});
                OrtSession.Result r = s.run(Map.of(Architectures.INPUT, t), java.util.Set.of(output))) {
            return (float[][]) r.get(0).getValue();
        }
    }

    @Test
    void theDefaultLayerIsWhatTheHeadReadsAndAnInnerLayerIsAveragePooled() throws Exception {
        Path f = paddleLike();
        assertEquals(Architectures.OUTPUT, FeatureGraphs.penultimate(OnnxFile.read(f)));
        ImageShape shape = new ImageShape(1, 16, 16);
        float[] half = {0.5f};
        ImageBackbone byDefault = ImageBackbones.imported(f, null, shape, half, half);
        ImageBackbone inner = ImageBackbones.imported(f, "block4.relu.relu.out", shape, half, half);
        assertEquals(256, byDefault.features());
        assertEquals(256, inner.features());
        float[] x = new float[2 * 256];
        Random rng = new Random(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[][] expected = run(f, Architectures.OUTPUT, x);
        float[][] a = run(byDefault.onnx(), FeatureGraphs.OUTPUT, x);
        float[][] p = run(inner.onnx(), FeatureGraphs.OUTPUT, x);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 256; j++) {
                assertEquals(expected[r][j], a[r][j], 1e-5);
                // smallcnn's own features are the global average of block4's output: the pooled cut equals them
                assertEquals(expected[r][j], p[r][j], 1e-4);
            }
        }
    }

    @Test
    void constantNodeWeightsBecomeTrainableParameters() throws Exception {
        ImageShape shape = new ImageShape(1, 16, 16);
        ImageBackbone b = ImageBackbones.imported(paddleLike(), null, shape, new float[] {0.5f}, new float[] {0.5f});
        try (NDManager m = NDManager.newBaseManager()) {
            OnnxBlock block = OnnxBlock.load(OnnxFile.read(b.onnx()), m);
            long trainable = block.getParameters().values().stream().filter(q -> q.requiresGradient())
                    .mapToLong(q -> q.getArray().size()).sum();
            // smallcnn's conv weights and BatchNorm scale and shift (the MatMul head is cut away)
            assertEquals(388_320, trainable);
            assertTrue(block.groupOrder().contains("block1"), block.groupOrder().toString());
        }
    }
}
