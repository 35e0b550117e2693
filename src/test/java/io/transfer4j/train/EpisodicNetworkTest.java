package io.transfer4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.transfer4j.backbone.Architectures;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The episodic network's prototype logits and its first-order inner loop, on a small CNN and made-up images. */
class EpisodicNetworkTest {
    @TempDir Path dir;

    private Model model(MetaMethod method, float innerRate) throws Exception {
        Path onnx = dir.resolve("cnn.onnx");
        Architectures.Network net = Architectures.build("smallcnn", 1, 16, 5);
        Files.write(onnx, net.model().toByteArray());
        Model m = Model.newInstance("meta", Device.cpu(), "PyTorch");
        Seeds.beforeInit(5);
        EpisodicNetwork en = new EpisodicNetwork(OnnxBlock.load(OnnxFile.read(onnx), m.getNDManager()), net.width(), 3, method, 3, innerRate);
        m.setBlock(en);
        en.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(6, 1, 16, 16), new Shape(9, 1, 16, 16));
        return m;
    }

    /** 3 classes, 2 support and 3 query images each; class c's images are brighter in their own third. */
    private static NDList episode(NDManager m) {
        float[] s = new float[6 * 256];
        float[] q = new float[9 * 256];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 15; i++) {
            boolean support = i < 6;
            int c = support ? i / 2 : (i - 6) / 3;
            float[] into = support ? s : q;
            int at = (support ? i : i - 6) * 256;
            for (int p = 0; p < 256; p++) {
                into[at + p] = (float) r.nextGaussian() * 0.3f + (p / 86 == c ? 1.5f : 0f);
            }
        }
        return new NDList(m.create(s, new Shape(6, 1, 16, 16)), m.create(q, new Shape(9, 1, 16, 16)));
    }

    /** The trainable weights (BatchNorm's running statistics move with every training forward pass, as in any training). */
    private static List<float[]> weights(Model m) {
        List<float[]> w = new ArrayList<>();
        for (Parameter p : m.getBlock().getParameters().values()) {
            if (p.requiresGradient()) {
                w.add(p.getArray().toFloatArray());
            }
        }
        return w;
    }

    @Test
    void prototypeLogitsAreMinusSquaredDistances() throws Exception {
        try (Model m = model(MetaMethod.PROTONET, 0.1f); NDManager data = m.getNDManager().newSubManager()) {
            NDList ep = episode(data);
            EpisodicNetwork en = (EpisodicNetwork) m.getBlock();
            ParameterStore ps = new ParameterStore(data, false);
            NDArray logits = en.forward(ps, ep, false).head();
            assertEquals(new Shape(9, 3), logits.getShape());
            NDArray fs = en.body().forward(ps, new NDList(ep.get(0)), false).head();
            NDArray fq = en.body().forward(ps, new NDList(ep.get(1)), false).head();
            NDArray protos = fs.reshape(3, 2, -1).mean(new int[] {1});
            for (int i = 0; i < 9; i++) {
                for (int c = 0; c < 3; c++) {
                    float d = fq.get(i).sub(protos.get(c)).square().sum().getFloat();
                    assertEquals(-d, logits.getFloat(i, c), 1e-3 * Math.max(1, d));
                }
            }
        }
    }

    @Test
    void theInnerLoopLeavesTheWeightsAndAddsAFirstOrderGradient() throws Exception {
        for (MetaMethod method : List.of(MetaMethod.MAML, MetaMethod.ANIL, MetaMethod.REPTILE)) {
            try (Model m = model(method, 0.5f); NDManager data = m.getNDManager().newSubManager()) {
                EpisodicNetwork en = (EpisodicNetwork) m.getBlock();
                Objective.BatchStep step = en.objective().batchStep();
                List<float[]> before = weights(m);
                double loss = step.accumulate(m, episode(data), data, 1f);
                assertTrue(Double.isFinite(loss), method + " loss " + loss);
                List<float[]> after = weights(m);
                for (int i = 0; i < before.size(); i++) {
                    assertArrayEquals(before.get(i), after.get(i), method + ": weight " + i + " is put back exactly");
                }
                double norm = 0;
                List<float[]> once = new ArrayList<>();
                for (Parameter p : m.getBlock().getParameters().values()) {
                    if (p.requiresGradient()) {
                        float[] g = p.getArray().getGradient().toFloatArray();
                        once.add(g);
                        for (float v : g) {
                            norm += v * v;
                        }
                    }
                }
                assertTrue(norm > 0, method + ": a meta-gradient was added");
                // a second micro-batch at half weight adds half as much again: gradients accumulate
                step.accumulate(m, episode(data), data, 0.5f);
                int k = 0;
                for (Parameter p : m.getBlock().getParameters().values()) {
                    if (p.requiresGradient()) {
                        float[] g = p.getArray().getGradient().toFloatArray();
                        for (int j = 0; j < g.length; j++) {
                            assertEquals(1.5f * once.get(k)[j], g[j], 1e-4f + 1e-3f * Math.abs(g[j]), method + " accumulation");
                        }
                        k++;
                    }
                }
            }
        }
    }

    @Test
    void adaptingToTheSupportLowersTheQueryLoss() throws Exception {
        double adapted;
        double unadapted;
        try (Model m = model(MetaMethod.MAML, 0.5f); NDManager data = m.getNDManager().newSubManager()) {
            adapted = ((EpisodicNetwork) m.getBlock()).objective().batchStep().accumulate(m, episode(data), data, 1f);
        }
        try (Model m = model(MetaMethod.MAML, 1e-9f); NDManager data = m.getNDManager().newSubManager()) {
            unadapted = ((EpisodicNetwork) m.getBlock()).objective().batchStep().accumulate(m, episode(data), data, 1f);
        }
        assertTrue(adapted < unadapted - 0.05, adapted + " vs " + unadapted);
    }
}
