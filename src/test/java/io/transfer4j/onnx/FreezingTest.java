package io.transfer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Model;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.train.DenseRows;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.ParameterTable;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.train.TrainingLoop;
import io.transfer4j.train.TunedParameter;
import io.transfer4j.util.Progress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frozen means frozen everywhere: an imported graph's frozen weights get no update and no weight
 * decay, and its BatchNorm keeps its running statistics (Keras semantics), while the head trains.
 */
class FreezingTest {
    @TempDir Path dir;

    private OnnxFile graph() {
        float[] w = new float[16];
        for (int i = 0; i < 16; i++) {
            w[i] = (i % 5 == 0 ? 1f : 0.1f);
        }
        return Graphs.create().input("x", TensorProto.DataType.FLOAT_VALUE, 4, 4).output("y", TensorProto.DataType.FLOAT_VALUE)
                .initializer("body.0.weight", new long[] {4, 4}, w)
                .initializer("body.0.bias", new long[] {4}, new float[] {0.1f, 0, 0, 0})
                .initializer("bn.scale", new long[] {4}, new float[] {1, 1, 1, 1})
                .initializer("bn.bias", new long[] {4}, new float[] {0, 0, 0, 0})
                .initializer("bn.mean", new long[] {4}, new float[] {0, 0, 0, 0})
                .initializer("bn.var", new long[] {4}, new float[] {1, 1, 1, 1})
                .node("MatMul", new String[] {"x", "body.0.weight"}, new String[] {"h"})
                .node("Add", new String[] {"h", "body.0.bias"}, new String[] {"hb"})
                .node("BatchNormalization", new String[] {"hb", "bn.scale", "bn.bias", "bn.mean", "bn.var"}, new String[] {"y"})
                .write(dir, "body.onnx");
    }

    private Map<String, float[]> train(Strategy strategy) {
        int n = 200;
        Random r = new Random(3);
        float[][] x = new float[n][4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int d = 0; d < 4; d++) {
                x[i][d] = (float) (r.nextGaussian() * 2 + 3 + (d == 0 ? 2 * y[i] : 0));
            }
        }
        try (Model m = Model.newInstance("f")) {
            OnnxBlock body = OnnxBlock.load(graph(), m.getNDManager());
            SequentialBlock net = new SequentialBlock().add(body).add(HeadType.LOGISTIC.build(2, 0));
            m.setBlock(net);
            TrainConfig cfg = new TrainConfig(3, 20, 0.05f, 0, 3, 1, Optimization.FINE_TUNING.toBuilder().weightDecay(0.5f).build());
            net.initialize(m.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new DenseRows(x).shapes(20));
            Set<Parameter> bodyParams = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            bodyParams.addAll(body.getParameters().values());
            ParameterTable table = ParameterTable.of(net, p -> bodyParams.contains(p) ? body.groupOf(p.getName()) : "head",
                    p -> bodyParams.contains(p) ? TunedParameter.Role.BODY : TunedParameter.Role.HEAD, body.groupOrder());
            TrainingLoop.fit(m, new DenseRows(x), y, new DenseRows(x), y, cfg, new TrainingLoop.Tuning(table, strategy,
                    io.transfer4j.train.Checkpoints.NONE), "f", Progress.SILENT.start("", 0, ""));
            Map<String, float[]> out = new HashMap<>();
            body.getParameters().forEach(p -> out.put(p.getKey(), p.getValue().getArray().toFloatArray()));
            net.getChildren().valueAt(1).getParameters().forEach(p -> out.put("head." + p.getKey(), p.getValue().getArray().toFloatArray()));
            return out;
        }
    }

    @Test
    void frozenBodyKeepsWeightsAndBatchNormStatisticsWhileTheHeadTrains() {
        OnnxFile g = graph();
        Map<String, float[]> before = new HashMap<>();
        for (TensorProto t : g.model().getGraph().getInitializerList()) {
            float[] v = new float[t.getFloatDataCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = t.getFloatData(i);
            }
            before.put(t.getName(), v);
        }
        // everything in the graph frozen by pattern: only the head may move
        Map<String, float[]> frozen = train(Strategy.of(Strategy.Kind.PARTIAL).withFreeze(0, "body|bn"));
        for (String k : List.of("body.0.weight", "body.0.bias", "bn.scale", "bn.bias", "bn.mean", "bn.var")) {
            assertArrayEquals(before.get(k), frozen.get(k), 0f, k + " must not change when frozen");
        }
        // trained: weights move (decay included) and BatchNorm tracks the batch statistics
        Map<String, float[]> full = train(Strategy.of(Strategy.Kind.FULL));
        for (String k : List.of("body.0.weight", "bn.scale", "bn.mean", "bn.var")) {
            assertFalse(java.util.Arrays.equals(before.get(k), full.get(k)), k + " should change when trained");
        }
    }
}
