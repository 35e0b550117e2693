package io.transfer4j.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.transfer4j.data.ImageShape;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.train.FeatureClassifier;
import io.transfer4j.train.ParameterTable;
import io.transfer4j.train.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchitecturesTest {
    @TempDir Path dir;

    private OnnxBlock load(Architectures.Network net, NDManager m) throws Exception {
        Path f = dir.resolve(net.arch() + ".onnx");
        Files.write(f, net.model().toByteArray());
        return OnnxBlock.load(OnnxFile.read(f), m);
    }

    private static long weights(OnnxBlock b) {
        return b.getParameters().values().stream().filter(p -> p.requiresGradient()).mapToLong(p -> p.getArray().size()).sum();
    }

    @Test
    void parameterCountsMatchTheReferenceNetworksWithoutTheirClassifier() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            // torchvision resnet18: 11,689,512 - fc 513,000 - (7x7 stem 9,408 - 3x3 stem 1,728) for the CIFAR stem
            assertEquals(11_168_832, weights(load(Architectures.build("resnet18", 3, 32, 1), m)));
            // torchvision mobilenet_v2: 3,504,872 - classifier 1,281,000
            assertEquals(2_223_872, weights(load(Architectures.build("mobilenetv2", 3, 32, 1), m)));
            // resnet34: 21,797,672 - 513,000 - 7,680
            assertEquals(21_276_992, weights(load(Architectures.build("resnet34", 3, 32, 1), m)));
        }
    }

    @Test
    void interpreterAndOnnxRuntimeAgreeOnEveryArchitecture() throws Exception {
        for (String arch : Architectures.NAMES) {
            ImageShape shape = new ImageShape(3, 32, 32);
            ImageBackbone b = ImageBackbones.builtIn(arch, shape, 3, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
            float[] x = new float[2 * shape.values()];
            Random rng = new Random(4);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            float[] ort;
            try (var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
                    var s = env.createSession(b.onnx().toString());
                    var t = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(x), new long[] {2, 3, 32, 32});
                    var r = s.run(java.util.Map.of(Architectures.INPUT, t))) {
                float[][] v = (float[][]) r.get(0).getValue();
                assertEquals(b.features(), v[0].length, arch);
                ort = new float[v[0].length * 2];
                System.arraycopy(v[0], 0, ort, 0, v[0].length);
                System.arraycopy(v[1], 0, ort, v[0].length, v[0].length);
            }
            try (NDManager m = NDManager.newBaseManager()) {
                OnnxBlock block = OnnxBlock.load(OnnxFile.read(b.onnx()), m);
                NDArray in = m.create(x, new Shape(2, 3, 32, 32));
                block.initialize(m, DataType.FLOAT32, in.getShape());
                float[] mine = block.forward(new ParameterStore(m, false), new NDList(in), false).head().toFloatArray();
                double max = 0;
                for (int i = 0; i < mine.length; i++) {
                    max = Math.max(max, Math.abs(mine[i] - ort[i]));
                }
                assertTrue(max < 1e-3, arch + ": interpreter and ONNX Runtime differ by " + max);
            }
        }
    }

    @Test
    void stagesAreGroupsSoPartialFineTuningFreezesTheStemAndEarlyStages() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            OnnxBlock body = load(Architectures.build("resnet18", 1, 28, 2), m);
            FeatureClassifier net = new FeatureClassifier(body, 512, 5);
            net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            ParameterTable table = net.table();
            assertEquals(List.of("stem", "layer1", "layer2", "layer3", "layer4", "head"), table.groups());
            var active = Strategy.of(Strategy.Kind.PARTIAL).withFreeze(2, "").phase(table, 1, 3, 1f);
            assertTrue(active.keySet().stream().noneMatch(k -> k.contains("stem") || k.contains("layer1.")), active.keySet().toString());
            assertTrue(active.keySet().stream().anyMatch(k -> k.contains("layer2.")));
            // BatchNorm running statistics are state: never in a phase's trainable set
            assertTrue(active.keySet().stream().noneMatch(k -> k.contains("running")));
        }
    }
}
