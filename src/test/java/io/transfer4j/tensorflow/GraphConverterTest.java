package io.transfer4j.tensorflow;

import static io.transfer4j.tensorflow.TfFixtures.b;
import static io.transfer4j.tensorflow.TfFixtures.i;
import static io.transfer4j.tensorflow.TfFixtures.ints;
import static io.transfer4j.tensorflow.TfFixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.onnx.LayerOutputs;
import io.transfer4j.onnx.OnnxChecker;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.onnx.ParameterGroups;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.tensorflow.proto.Tf.DataType;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-layer BERT-shaped TensorFlow graph, written as a SavedModel the way TensorFlow 1 writes
 * BERT (resource variables, one-hot token types, shape arithmetic through Shape/StridedSlice/Pack,
 * the layer norm spelled out, attention through BatchMatMul with adj_y), imported and run by the
 * interpreter and by ONNX Runtime, both compared with the same computation written out in Java.
 * No _output_shapes are recorded, so ranks come from the converter's own inference.
 */
class GraphConverterTest {
    @TempDir Path dir;

    static final int B = 2, T = 3, V = 6, H = 4, P = 5;
    final Random rng = new Random(7);
    final float[] word = rand(V * H), types = rand(2 * H), pos = rand(P * H), gamma = rand(H), beta = rand(H), kernel = rand(H * H), bias = rand(H);
    final long[] ids = {1, 4, 2, 5, 3, 0};
    final long[] mask = {1, 1, 1, 1, 1, 0};
    final long[] segments = {0, 0, 1, 0, 1, 0};

    private float[] rand(int n) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) rng.nextGaussian() * 0.5f;
        }
        return v;
    }

    private Path bertLike() throws Exception {
        TfFixtures f = new TfFixtures();
        String e = "apply/bert/embeddings/", l = "apply/bert/encoder/layer_0/attention/self/";
        f.placeholder("input_ids", -1, -1).placeholder("input_mask", -1, -1).placeholder("segment_ids", -1, -1)
                .variable("module/bert/embeddings/word_embeddings", new long[] {V, H}, word)
                .variable("module/bert/embeddings/token_type_embeddings", new long[] {2, H}, types)
                .variable("module/bert/embeddings/position_embeddings", new long[] {P, H}, pos)
                .variable("module/bert/embeddings/LayerNorm/gamma", new long[] {H}, gamma)
                .variable("module/bert/embeddings/LayerNorm/beta", new long[] {H}, beta)
                .variable("module/bert/encoder/layer_0/attention/self/query/kernel", new long[] {H, H}, kernel)
                .variable("module/bert/encoder/layer_0/attention/self/query/bias", new long[] {H}, bias)
                .node(e + "embedding_lookup", "ResourceGather", List.of("module/bert/embeddings/word_embeddings", "input_ids"), "dtype", type(DataType.DT_FLOAT))
                .intConst(e + "Reshape_1/shape", new long[] {1}, -1)
                .node(e + "Reshape_1", "Reshape", List.of("segment_ids", e + "Reshape_1/shape"))
                .intConst(e + "one_hot/depth", new long[0], 2).floatConst(e + "one_hot/on_value", 1f).floatConst(e + "one_hot/off_value", 0f)
                .node(e + "one_hot", "OneHot", List.of(e + "Reshape_1", e + "one_hot/depth", e + "one_hot/on_value", e + "one_hot/off_value"), "axis", i(-1))
                .node(e + "MatMul/ReadVariableOp", "ReadVariableOp", List.of("module/bert/embeddings/token_type_embeddings"))
                .node(e + "MatMul", "MatMul", List.of(e + "one_hot", e + "MatMul/ReadVariableOp"))
                .node(e + "Shape", "Shape", List.of("input_ids"))
                .intConst(e + "ss/b", new long[] {1}, 0).intConst(e + "ss/e", new long[] {1}, 1).intConst(e + "ss/s", new long[] {1}, 1)
                .node(e + "strided_slice", "StridedSlice", List.of(e + "Shape", e + "ss/b", e + "ss/e", e + "ss/s"), "shrink_axis_mask", i(1))
                .intConst(e + "ss1/b", new long[] {1}, 1).intConst(e + "ss1/e", new long[] {1}, 2)
                .node(e + "strided_slice_1", "StridedSlice", List.of(e + "Shape", e + "ss1/b", e + "ss1/e", e + "ss/s"), "shrink_axis_mask", i(1))
                .intConst(e + "Reshape_2/shape/2", new long[0], H)
                .node(e + "Reshape_2/shape", "Pack", List.of(e + "strided_slice", e + "strided_slice_1", e + "Reshape_2/shape/2"), "axis", i(0))
                .node(e + "Reshape_2", "Reshape", List.of(e + "MatMul", e + "Reshape_2/shape"))
                .node(e + "add", "Add", List.of(e + "embedding_lookup", e + "Reshape_2"))
                .node(e + "Slice/ReadVariableOp", "ReadVariableOp", List.of("module/bert/embeddings/position_embeddings"))
                .intConst(e + "Slice/begin", new long[] {2}, 0, 0).intConst(e + "Slice/size/1", new long[0], -1)
                .node(e + "Slice/size", "Pack", List.of(e + "strided_slice_1", e + "Slice/size/1"), "axis", i(0))
                .node(e + "Slice", "Slice", List.of(e + "Slice/ReadVariableOp", e + "Slice/begin", e + "Slice/size"))
                .node(e + "add_1", "AddV2", List.of(e + "add", e + "Slice"))
                .intConst(e + "LayerNorm/axes", new long[] {1}, 2)
                .node(e + "LayerNorm/mean", "Mean", List.of(e + "add_1", e + "LayerNorm/axes"), "keep_dims", b(true))
                .node(e + "LayerNorm/StopGradient", "StopGradient", List.of(e + "LayerNorm/mean"))
                .node(e + "LayerNorm/SquaredDifference", "SquaredDifference", List.of(e + "add_1", e + "LayerNorm/StopGradient"))
                .node(e + "LayerNorm/variance", "Mean", List.of(e + "LayerNorm/SquaredDifference", e + "LayerNorm/axes"), "keep_dims", b(true))
                .floatConst(e + "LayerNorm/eps", 1e-12f)
                .node(e + "LayerNorm/add", "Add", List.of(e + "LayerNorm/variance", e + "LayerNorm/eps"))
                .node(e + "LayerNorm/Rsqrt", "Rsqrt", List.of(e + "LayerNorm/add"))
                .node(e + "LayerNorm/g", "ReadVariableOp", List.of("module/bert/embeddings/LayerNorm/gamma"))
                .node(e + "LayerNorm/mul", "Mul", List.of(e + "LayerNorm/Rsqrt", e + "LayerNorm/g"))
                .node(e + "LayerNorm/mul_1", "Mul", List.of(e + "add_1", e + "LayerNorm/mul"))
                .node(e + "LayerNorm/mul_2", "Mul", List.of(e + "LayerNorm/mean", e + "LayerNorm/mul"))
                .node(e + "LayerNorm/b", "ReadVariableOp", List.of("module/bert/embeddings/LayerNorm/beta"))
                .node(e + "LayerNorm/sub", "Sub", List.of(e + "LayerNorm/b", e + "LayerNorm/mul_2"))
                .node(e + "LayerNorm/add_1", "Add", List.of(e + "LayerNorm/mul_1", e + "LayerNorm/sub"))
                .intConst(l + "flat/shape", new long[] {2}, -1, H)
                .node(l + "flat", "Reshape", List.of(e + "LayerNorm/add_1", l + "flat/shape"))
                .node(l + "query/MatMul/ReadVariableOp", "ReadVariableOp", List.of("module/bert/encoder/layer_0/attention/self/query/kernel"))
                .node(l + "query/MatMul", "MatMul", List.of(l + "flat", l + "query/MatMul/ReadVariableOp"))
                .node(l + "query/BiasAdd/ReadVariableOp", "ReadVariableOp", List.of("module/bert/encoder/layer_0/attention/self/query/bias"))
                .node(l + "query/BiasAdd", "BiasAdd", List.of(l + "query/MatMul", l + "query/BiasAdd/ReadVariableOp"))
                .node(l + "Reshape", "Reshape", List.of(l + "query/BiasAdd", e + "Reshape_2/shape"))
                .node(l + "MatMul", "BatchMatMul", List.of(l + "Reshape", l + "Reshape"), "adj_y", b(true))
                .floatConst(l + "Mul/y", 0.5f)
                .node(l + "Mul", "Mul", List.of(l + "MatMul", l + "Mul/y"))
                .intConst(l + "one", new long[0], 1)
                .node(l + "mask/shape", "Pack", List.of(e + "strided_slice", l + "one", e + "strided_slice_1"), "axis", i(0))
                .node(l + "mask/Reshape", "Reshape", List.of("input_mask", l + "mask/shape"))
                .node(l + "mask/Cast", "Cast", List.of(l + "mask/Reshape"), "SrcT", type(DataType.DT_INT32), "DstT", type(DataType.DT_FLOAT))
                .floatConst(l + "sub/x", 1f)
                .node(l + "sub", "Sub", List.of(l + "sub/x", l + "mask/Cast"))
                .floatConst(l + "mul_1/y", -10000f)
                .node(l + "mul_1", "Mul", List.of(l + "sub", l + "mul_1/y"))
                .node(l + "add", "Add", List.of(l + "Mul", l + "mul_1"))
                .node(l + "Softmax", "Softmax", List.of(l + "add"))
                .node(l + "MatMul_1", "BatchMatMul", List.of(l + "Softmax", l + "Reshape"))
                .floatConst(l + "ones/value", 1f)
                .node(l + "ones", "Fill", List.of(e + "Reshape_2/shape", l + "ones/value"))
                .node(l + "context", "Mul", List.of(l + "MatMul_1", l + "ones"))
                .intConst(l + "perm", new long[] {3}, 0, 2, 1)
                .node(l + "transpose", "Transpose", List.of(l + "context", l + "perm"))
                .node(l + "transpose_1", "Transpose", List.of(l + "transpose", l + "perm"))
                .intConst("apply/bert/pooler/b", new long[] {3}, 0, 0, 0).intConst("apply/bert/pooler/e", new long[] {3}, 0, 1, 0)
                .intConst("apply/bert/pooler/s", new long[] {3}, 1, 1, 1)
                .node("apply/bert/pooler/strided_slice", "StridedSlice", List.of(l + "transpose_1", "apply/bert/pooler/b", "apply/bert/pooler/e",
                        "apply/bert/pooler/s"), "begin_mask", i(5), "end_mask", i(5))
                .node("apply/bert/pooler/Squeeze", "Squeeze", List.of("apply/bert/pooler/strided_slice"), "squeeze_dims", ints(1))
                .intConst("apply/bert/pooler/dim", new long[0], 1)
                .node("apply/bert/pooler/ExpandDims", "ExpandDims", List.of("apply/bert/pooler/Squeeze", "apply/bert/pooler/dim"))
                .node("apply/bert/pooler/Squeeze_1", "Squeeze", List.of("apply/bert/pooler/ExpandDims"), "squeeze_dims", ints(1))
                .node("apply/bert/pooler/Tanh", "Tanh", List.of("apply/bert/pooler/Squeeze_1"));
        return f.write(dir.resolve("bert-like"), Map.of("input_ids", "input_ids:0", "input_mask", "input_mask:0", "segment_ids", "segment_ids:0"),
                Map.of("sequence_output", l + "transpose_1:0", "pooled_output", "apply/bert/pooler/Tanh:0"));
    }

    /** The same network in plain Java: embeddings, layer norm, one self-attention with the padding mask. */
    private float[][] reference() {
        float[] seq = new float[B * T * H];
        float[] pooled = new float[B * H];
        for (int bi = 0; bi < B; bi++) {
            float[][] q = new float[T][H];
            for (int t = 0; t < T; t++) {
                float[] x = new float[H];
                int r = bi * T + t;
                for (int h = 0; h < H; h++) {
                    x[h] = word[(int) ids[r] * H + h] + types[(int) segments[r] * H + h] + pos[t * H + h];
                }
                double mean = 0, var = 0;
                for (float v : x) {
                    mean += v / H;
                }
                for (float v : x) {
                    var += (v - mean) * (v - mean) / H;
                }
                float[] n = new float[H];
                for (int h = 0; h < H; h++) {
                    n[h] = (float) ((x[h] - mean) / Math.sqrt(var + 1e-12) * gamma[h] + beta[h]);
                }
                for (int o = 0; o < H; o++) {
                    double s = bias[o];
                    for (int h = 0; h < H; h++) {
                        s += n[h] * kernel[h * H + o];
                    }
                    q[t][o] = (float) s;
                }
            }
            for (int t = 0; t < T; t++) {
                double[] sc = new double[T];
                double max = Double.NEGATIVE_INFINITY;
                for (int u = 0; u < T; u++) {
                    double d = 0;
                    for (int h = 0; h < H; h++) {
                        d += q[t][h] * q[u][h];
                    }
                    sc[u] = d * 0.5 + (1 - mask[bi * T + u]) * -10000.0;
                    max = Math.max(max, sc[u]);
                }
                double z = 0;
                for (int u = 0; u < T; u++) {
                    sc[u] = Math.exp(sc[u] - max);
                    z += sc[u];
                }
                for (int h = 0; h < H; h++) {
                    double c = 0;
                    for (int u = 0; u < T; u++) {
                        c += sc[u] / z * q[u][h];
                    }
                    seq[(bi * T + t) * H + h] = (float) c;
                    if (t == 0) {
                        pooled[bi * H + h] = (float) Math.tanh(c);
                    }
                }
            }
        }
        return new float[][] {seq, pooled};
    }

    @Test
    void bertShapedGraphMatchesItsDefinitionInBothEngines() throws Exception {
        Path saved = bertLike();
        ModelProto m = TensorFlowImporter.convert(SavedModelFile.open(saved, null), TensorFlowImporter.BERT_NAMES);
        Path onnx = dir.resolve("model.onnx");
        TensorFlowImporter.write(m, onnx);
        OnnxFile f = OnnxFile.read(onnx);
        assertEquals(List.of("last_hidden_state", "pooler_output"), m.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), m.getGraph().getInputList().stream().map(o -> o.getName()).toList());
        assertEquals(V * H + 2 * H + P * H + 2 * H + H * H + H, TensorFlowImporter.parameters(m));

        List<OnnxChecker.Feed> feeds = List.of(new OnnxChecker.Feed("input_ids", new long[] {B, T}, ids, null),
                new OnnxChecker.Feed("attention_mask", new long[] {B, T}, mask, null),
                new OnnxChecker.Feed("token_type_ids", new long[] {B, T}, segments, null));
        OnnxChecker.Outputs out = OnnxChecker.run(f, feeds);
        float[][] ref = reference();
        for (Map<String, float[]> engine : List.of(out.transfer4j(), out.onnxRuntime())) {
            assertClose(ref[0], engine.get("last_hidden_state"));
            assertClose(ref[1], engine.get("pooler_output"));
        }
    }

    @Test
    void weightsAreNamedAndGroupedByModulePathAndLayersAreCutPoints() throws Exception {
        ModelProto m = TensorFlowImporter.convert(SavedModelFile.open(bertLike(), null), TensorFlowImporter.BERT_NAMES);
        Map<String, String> groups = ParameterGroups.of(m.getGraph());
        assertEquals("embeddings", groups.get("embeddings.word_embeddings"));
        assertEquals("encoder.layer.0", groups.get("encoder.layer.0.attention.self.query.kernel"));
        assertTrue(m.getGraph().getNodeList().stream().anyMatch(n -> n.getName().equals("/encoder/layer.0/attention/self/query/MatMul")));
        // a constant under an op's own scope joins with "_", so it does not read as a module
        assertTrue(m.getGraph().getNodeList().stream().anyMatch(n -> n.getName().equals("/embeddings/Reshape_1_shape")));
        Path onnx = dir.resolve("m.onnx");
        TensorFlowImporter.write(m, onnx);
        assertEquals(List.of("encoder.layer.0"), List.copyOf(LayerOutputs.of(OnnxFile.read(onnx)).keySet()));
        // cutting at an existing output (fine-tuning keeps the token states only) keeps its declared shape
        var cut = io.transfer4j.onnx.GraphEdits.cutAt(OnnxFile.read(onnx), List.of("last_hidden_state")).model().getGraph();
        assertEquals(List.of(m.getGraph().getOutput(0)), cut.getOutputList());
        assertEquals(3, cut.getOutput(0).getType().getTensorType().getShape().getDimCount());
    }

    @Test
    void unsupportedOpsAreReportedTogether() throws Exception {
        TfFixtures f = new TfFixtures();
        f.placeholder("input_ids", -1, -1).node("a", "Cumprod", List.of("input_ids")).node("b", "Bucketize", List.of("a"))
                .node("c", "Cumprod", List.of("b"));
        Path saved = f.write(dir.resolve("odd"), Map.of("input_ids", "input_ids:0"), Map.of("sequence_output", "c:0"));
        UserException e = assertThrows(UserException.class,
                () -> TensorFlowImporter.convert(SavedModelFile.open(saved, null), TensorFlowImporter.BERT_NAMES));
        assertTrue(e.getMessage().contains("Bucketize (1 node), Cumprod (2 nodes)"), e.getMessage());
    }

    @Test
    void aMissingSignatureOrGraphIsNamed() throws Exception {
        Path saved = bertLike();
        UserException e = assertThrows(UserException.class, () -> SavedModelFile.open(saved, "tokens"));
        assertTrue(e.getMessage().contains("no signature 'tokens'") && e.getMessage().contains("serving_default"), e.getMessage());
        UserException none = assertThrows(UserException.class, () -> SavedModelFile.open(dir, null));
        assertTrue(none.getMessage().contains("no saved_model.pb"), none.getMessage());
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-4, "element " + k);
        }
    }
}
