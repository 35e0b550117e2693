package io.transfer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.StringStringEntryProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxBlockTest {
    private static final int FLOAT = 1;
    @TempDir Path dir;

    private static float[] forward(OnnxBlock b, Model m, float[] x, Shape s, boolean training) {
        try (NDManager sub = m.getNDManager().newSubManager()) {
            return b.forward(new ParameterStore(sub, false), new NDList(sub.create(x, s)), training).head().toFloatArray();
        }
    }

    @Test
    void weightsInAnExternalFileAreReadAndMayNotLeaveTheModelsFolder() throws IOException {
        ByteBuffer w = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        w.putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        Files.write(dir.resolve("weights.bin"), w.array());
        OnnxFile base = Graphs.create().input("x", FLOAT, 1, 2).node("MatMul", new String[] {"x", "W"}, new String[] {"y"})
                .output("y", FLOAT).write(dir, "ext.onnx");
        TensorProto external = TensorProto.newBuilder().setName("W").setDataType(FLOAT).addDims(2).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue("16")).build();
        ModelProto m = base.model().toBuilder().setGraph(base.model().getGraph().toBuilder().addInitializer(external)).build();
        Files.write(dir.resolve("ext.onnx"), m.toByteArray());
        try (Model model = Model.newInstance("ext", Device.cpu(), "PyTorch")) {
            OnnxBlock b = OnnxBlock.load(OnnxFile.read(dir.resolve("ext.onnx")), model.getNDManager());
            assertArrayEquals(new float[] {7, 10}, forward(b, model, new float[] {1, 2}, new Shape(1, 2), false));
        }
        TensorProto evil = external.toBuilder().setExternalData(0,
                StringStringEntryProto.newBuilder().setKey("location").setValue("../../etc/passwd")).build();
        ModelProto bad = base.model().toBuilder().setGraph(base.model().getGraph().toBuilder().addInitializer(evil)).build();
        Files.write(dir.resolve("evil.onnx"), bad.toByteArray());
        UserException e = assertThrows(UserException.class, () -> {
            try (Model model = Model.newInstance("evil", Device.cpu(), "PyTorch")) {
                OnnxBlock.load(OnnxFile.read(dir.resolve("evil.onnx")), model.getNDManager());
            }
        });
        assertTrue(e.getMessage().contains("points outside the model's folder"), e.getMessage());
    }

    @Test
    void batchNormUpdatesRunningStatisticsWhileTrainingAndNotOnceFrozen() {
        float[] ones = {1, 1};
        float[] zeros = {0, 0};
        OnnxFile f = Graphs.create().input("x", FLOAT, 4, 2)
                .initializer("gamma", new long[] {2}, ones).initializer("beta", new long[] {2}, zeros)
                .initializer("mean", new long[] {2}, zeros).initializer("var", new long[] {2}, ones)
                .node("BatchNormalization", new String[] {"x", "gamma", "beta", "mean", "var"}, new String[] {"y"})
                .output("y", FLOAT).write(dir, "bn.onnx");
        float[] x = {1, 10, 3, 20, 5, 30, 7, 40};
        Shape s = new Shape(4, 2);
        try (Model model = Model.newInstance("bn", Device.cpu(), "PyTorch")) {
            OnnxBlock b = OnnxBlock.load(f, model.getNDManager());
            assertFalse(b.getParameters().get("mean").requiresGradient(), "running statistics are not trained");
            float[] inference = forward(b, model, x, s, false);
            b.freezeParameters(true);
            float[] frozenTraining = forward(b, model, x, s, true);
            assertArrayEquals(inference, frozenTraining, 1e-6f, "frozen BatchNorm stays in inference mode");
            assertArrayEquals(zeros, b.getParameters().get("mean").getArray().toFloatArray(), 0f);
            b.freezeParameters(false);
            float[] training = forward(b, model, x, s, true);
            assertFalse(java.util.Arrays.equals(inference, training), "training uses batch statistics");
            float[] mean = b.getParameters().get("mean").getArray().toFloatArray();
            // momentum 0.9: 0.9 * 0 + 0.1 * batch mean (4, 25)
            assertArrayEquals(new float[] {0.4f, 2.5f}, mean, 1e-5f);
        }
    }

    @Test
    void everyUnsupportedOpIsReportedAtImportAtOnce() {
        OnnxFile f = Graphs.create().input("x", FLOAT, 2)
                .node("Hardmax", new String[] {"x"}, new String[] {"a"})
                .node("Einsum", new String[] {"a"}, new String[] {"y"})
                .output("y", FLOAT).write(dir, "bad.onnx");
        try (Model model = Model.newInstance("bad", Device.cpu(), "PyTorch")) {
            UserException e = assertThrows(UserException.class, () -> OnnxBlock.load(f, model.getNDManager()));
            assertTrue(e.getMessage().contains("Hardmax (1 node") && e.getMessage().contains("Einsum (1 node"), e.getMessage());
        }
    }

}
