package io.transfer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusionTest {
    @TempDir Path dir;

    private static final int F = TensorProto.DataType.FLOAT_VALUE;

    /** The exporters' spelled-out layer norm and erf GELU, optionally with the norm's centred input also a graph output. */
    private OnnxFile spelledOut(String name, boolean exposeCentred) {
        Graphs g = Graphs.create().input("x", F, 2, 3, 4)
                .initializer("gamma", new long[] {4}, new float[] {1f, 0.5f, 2f, -1f})
                .initializer("beta", new long[] {4}, new float[] {0f, 0.1f, -0.2f, 0.3f})
                .initializer("two", new long[0], new float[] {2f}).initializer("eps", new long[0], new float[] {1e-5f})
                .initializer("sqrt2", new long[0], new float[] {(float) Math.sqrt(2)}).initializer("one", new long[0], new float[] {1f})
                .initializer("half", new long[0], new float[] {0.5f})
                .node("ReduceMean", new String[] {"x"}, new String[] {"m"}, Graphs.ints("axes", -1))
                .node("Sub", new String[] {"x", "m"}, new String[] {"d"})
                .node("Pow", new String[] {"d", "two"}, new String[] {"p"})
                .node("ReduceMean", new String[] {"p"}, new String[] {"v"}, Graphs.ints("axes", -1))
                .node("Add", new String[] {"v", "eps"}, new String[] {"ve"})
                .node("Sqrt", new String[] {"ve"}, new String[] {"sd"})
                .node("Div", new String[] {"d", "sd"}, new String[] {"n"})
                .node("Mul", new String[] {"n", "gamma"}, new String[] {"g"})
                .node("Add", new String[] {"g", "beta"}, new String[] {"y"})
                .node("Div", new String[] {"y", "sqrt2"}, new String[] {"q"})
                .node("Erf", new String[] {"q"}, new String[] {"e"})
                .node("Add", new String[] {"e", "one"}, new String[] {"e1"})
                .node("Mul", new String[] {"y", "e1"}, new String[] {"ye"})
                .node("Mul", new String[] {"ye", "half"}, new String[] {"out"})
                .output("out", F);
        if (exposeCentred) {
            g.output("d", F);
        }
        return g.write(dir, name);
    }

    private static List<String> planOps(OnnxFile f) {
        return Fusion.plan(f.model().getGraph(), f.model().getGraph().getOutputList().stream().map(o -> o.getName()).toList(), f)
                .stream().map(s -> s.node().getOpType()).toList();
    }

    @Test
    void spelledOutNormAndGeluBecomeTwoNodesAndMatchOnnxRuntime() {
        OnnxFile f = spelledOut("ln-gelu.onnx", false);
        assertEquals(List.of("LayerNormalization", "Gelu"), planOps(f));
        OnnxChecker.Result r = OnnxChecker.check(f, OnnxChecker.randomFeeds(f, 2, 3, 7));
        assertTrue(r.worst() < 1e-5, "fused plan vs ONNX Runtime on the spelled-out graph: " + r.worst());
    }

    @Test
    void anIntermediateReadElsewhereKeepsItsPatternSpelledOut() {
        OnnxFile f = spelledOut("exposed.onnx", true);
        List<String> ops = planOps(f);
        assertEquals(List.of("ReduceMean", "Sub", "Pow", "ReduceMean", "Add", "Sqrt", "Div", "Mul", "Add", "Gelu"), ops);
        OnnxChecker.Result r = OnnxChecker.check(f, OnnxChecker.randomFeeds(f, 2, 3, 7));
        assertTrue(r.worst() < 1e-5, "vs ONNX Runtime: " + r.worst());
    }

    @Test
    void theDefaultEncodersNormsAndActivationsAreFused() {
        BackboneSpec spec = BackboneCatalogue.load().resolve(BackboneCatalogue.DEFAULT_ID);
        OnnxFile f = OnnxFile.read(BackboneLocator.standard().locate(spec).onnx());
        Map<String, Long> counts = planOps(f).stream().collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
        // bge-small: 12 layers, each with two norms and one GELU, plus the embeddings' norm
        assertEquals(25L, counts.get("LayerNormalization"), counts.toString());
        assertEquals(12L, counts.get("Gelu"), counts.toString());
        assertEquals(null, counts.get("Erf"), counts.toString());
    }

    /** TensorFlow BERT's layer norm (batch-norm style, as the TensorFlow importer writes it) and its tanh GELU. */
    private OnnxFile tensorFlowSpelling(String name) {
        Graphs g = Graphs.create().input("x", F, 2, 3, 4)
                .initializer("gamma", new long[] {4}, new float[] {1f, 0.5f, 2f, -1f})
                .initializer("beta", new long[] {4}, new float[] {0f, 0.1f, -0.2f, 0.3f})
                .initializer("eps", new long[0], new float[] {1e-12f}).initializer("three", new long[0], new float[] {3f})
                .initializer("c", new long[0], new float[] {0.044715f}).initializer("k", new long[0], new float[] {0.7978846f})
                .initializer("one", new long[0], new float[] {1f}).initializer("half", new long[0], new float[] {0.5f})
                .node("ReduceMean", new String[] {"x"}, new String[] {"m"}, Graphs.ints("axes", -1))
                .node("Sub", new String[] {"x", "m"}, new String[] {"d"})
                .node("Mul", new String[] {"d", "d"}, new String[] {"d2"})
                .node("ReduceMean", new String[] {"d2"}, new String[] {"v"}, Graphs.ints("axes", -1))
                .node("Add", new String[] {"v", "eps"}, new String[] {"ve"})
                .node("Sqrt", new String[] {"ve"}, new String[] {"sd"})
                .node("Reciprocal", new String[] {"sd"}, new String[] {"rs"})
                .node("Mul", new String[] {"rs", "gamma"}, new String[] {"s"})
                .node("Mul", new String[] {"x", "s"}, new String[] {"xs"})
                .node("Mul", new String[] {"m", "s"}, new String[] {"ms"})
                .node("Sub", new String[] {"beta", "ms"}, new String[] {"shift"})
                .node("Add", new String[] {"xs", "shift"}, new String[] {"y"})
                .node("Pow", new String[] {"y", "three"}, new String[] {"y3"})
                .node("Mul", new String[] {"c", "y3"}, new String[] {"cy3"})
                .node("Add", new String[] {"y", "cy3"}, new String[] {"inner"})
                .node("Mul", new String[] {"k", "inner"}, new String[] {"ki"})
                .node("Tanh", new String[] {"ki"}, new String[] {"t"})
                .node("Add", new String[] {"one", "t"}, new String[] {"t1"})
                .node("Mul", new String[] {"half", "t1"}, new String[] {"h"})
                .node("Mul", new String[] {"y", "h"}, new String[] {"out"})
                .output("out", F);
        return g.write(dir, name);
    }

    @Test
    void tensorFlowsLayerNormAndTanhGeluAreFusedToo() {
        OnnxFile f = tensorFlowSpelling("tf-ln-gelu.onnx");
        assertEquals(List.of("LayerNormalization", "Gelu"), planOps(f));
        OnnxChecker.Result r = OnnxChecker.check(f, OnnxChecker.randomFeeds(f, 2, 3, 7));
        assertTrue(r.worst() < 1e-5, "fused plan vs ONNX Runtime on TensorFlow's spelling: " + r.worst());
    }
}
