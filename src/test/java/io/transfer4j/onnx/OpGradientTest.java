package io.transfer4j.onnx;

import static io.transfer4j.onnx.Graphs.integer;
import static io.transfer4j.onnx.Graphs.ints;
import static io.transfer4j.onnx.Graphs.real;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of the interpreter's gradients: for each differentiable op, a one-node
 * float64 graph; d(sum(R * y))/dx from autograd must match central differences.
 */
class OpGradientTest {
    private static final int DOUBLE = 11;
    @TempDir Path dir;

    /** One op under test: inputs (name, shape, positive-only) and attributes. */
    record Case(String op, List<long[]> shapes, boolean positive, AttributeProto[] attrs, String[] extraInits) {
        @Override
        public String toString() {
            return op + (attrs.length > 0 ? " " + attrs[0].getName() : "");
        }
    }

    static Case c(String op, boolean positive, AttributeProto[] attrs, long[]... shapes) {
        return new Case(op, List.of(shapes), positive, attrs, new String[0]);
    }

    static AttributeProto[] none() {
        return new AttributeProto[0];
    }

    static Stream<Case> cases() {
        long[] s23 = {2, 3};
        long[] s3 = {3};
        return Stream.of(
                c("Add", false, none(), s23, s3), c("Sub", false, none(), s23, s23), c("Mul", false, none(), s23, s3),
                c("Div", true, none(), s23, s23), c("Pow", true, none(), s23, s23),
                c("MatMul", false, none(), new long[] {2, 4}, new long[] {4, 3}),
                c("MatMul", false, none(), new long[] {2, 2, 4}, new long[] {4, 3}),
                c("Gemm", false, new AttributeProto[] {integer("transB", 1), real("alpha", 0.5f)}, new long[] {2, 4},
                        new long[] {3, 4}, s3),
                c("Sqrt", true, none(), s23), c("Erf", false, none(), s23), c("Tanh", false, none(), s23),
                c("Exp", false, none(), s23), c("Log", true, none(), s23), c("Sigmoid", false, none(), s23),
                c("Relu", false, none(), s23), c("Neg", false, none(), s23), c("Abs", false, none(), s23),
                c("Reciprocal", true, none(), s23), c("Identity", false, none(), s23),
                c("Softmax", false, new AttributeProto[] {integer("axis", -1)}, new long[] {2, 4}),
                // the fused kernel (one trailing axis) and the spelled-out path (two)
                c("LayerNormalization", false, new AttributeProto[] {integer("axis", -1)}, new long[] {2, 4}, new long[] {4}, new long[] {4}),
                c("LayerNormalization", false, new AttributeProto[] {integer("axis", 1)}, new long[] {2, 3, 4}, new long[] {3, 4},
                        new long[] {3, 4}),
                c("Gelu", false, none(), s23),
                c("Gelu", false, new AttributeProto[] {AttributeProto.newBuilder().setName("approximate")
                        .setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8("tanh")).build()}, s23),
                c("ReduceMean", false, new AttributeProto[] {ints("axes", 1), integer("keepdims", 0)}, new long[] {2, 3, 4}),
                c("ReduceMean", false, new AttributeProto[] {ints("axes", 0, 2)}, new long[] {2, 3, 4}),
                c("Transpose", false, new AttributeProto[] {ints("perm", 1, 0, 2)}, new long[] {2, 3, 4}),
                c("Flatten", false, new AttributeProto[] {integer("axis", 2)}, new long[] {2, 3, 4}),
                c("Concat", false, new AttributeProto[] {integer("axis", 1)}, s23, new long[] {2, 2}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void autogradMatchesFiniteDifferences(Case tc) {
        Graphs g = Graphs.create();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tc.shapes().size(); i++) {
            String n = "x" + i;
            names.add(n);
            g.input(n, DOUBLE, tc.shapes().get(i));
        }
        g.node(tc.op(), names.toArray(String[]::new), new String[] {"y"}, tc.attrs()).output("y", DOUBLE);
        checkGradients(g.write(dir, "g.onnx"), tc.shapes(), tc.positive());
    }

    @org.junit.jupiter.api.Test
    void clipRunsAsHardtanhWithTheSameValuesAndFiniteDifferenceGradients() {
        // bounds as inputs (opset 11+); values on both sides of each bound
        Graphs g = Graphs.create().input("x", DOUBLE, 3, 4).initializer("lo", new long[0], new float[] {-0.5f})
                .initializer("hi", new long[0], new float[] {0.5f})
                .node("Clip", new String[] {"x", "lo", "hi"}, new String[] {"y"}).output("y", DOUBLE);
        OnnxFile f = g.write(dir, "clip.onnx");
        checkGradients(f, List.of(new long[] {3, 4}), false);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.randomNormal(new Shape(1000));
            assertEquals(0, Graphs.maxDiff(x.clip(-0.5f, 6f).toFloatArray(), CnnOps.hardtanh(x, -0.5f, 6f).toFloatArray()),
                    "hardtanh's values are clip's");
        }
    }

    @org.junit.jupiter.api.Test
    void shapeOpsPassGradientsThrough() {
        // Reshape, Unsqueeze, Squeeze, Slice, Gather, Expand, Where: data flows through, shapes are constants.
        Graphs g = Graphs.create().input("x", DOUBLE, 2, 6)
                .longs("shape", 3, 4).longs("axes", 0).longs("starts", 1).longs("ends", 3).longs("idx", 2, 0)
                .longs("sq", 0).longs("target", 2, 3, 2)
                .node("Reshape", new String[] {"x", "shape"}, new String[] {"r"})
                .node("Slice", new String[] {"r", "starts", "ends", "axes"}, new String[] {"s"})
                .node("Gather", new String[] {"s", "idx"}, new String[] {"gt"}, integer("axis", 1))
                .node("Unsqueeze", new String[] {"gt", "axes"}, new String[] {"u"})
                .node("Squeeze", new String[] {"u", "sq"}, new String[] {"q"})
                .node("Expand", new String[] {"q", "target"}, new String[] {"y"})
                .output("y", DOUBLE);
        checkGradients(g.write(dir, "shape.onnx"), List.of(new long[] {2, 6}), false);
    }

    private static void checkGradients(OnnxFile f, List<long[]> shapes, boolean positive) {
        Random r = new Random(11);
        try (Model model = Model.newInstance("grad", Device.cpu(), "PyTorch"); NDManager m = model.getNDManager().newSubManager()) {
            OnnxBlock block = OnnxBlock.load(f, model.getNDManager());
            List<double[]> values = new ArrayList<>();
            for (long[] s : shapes) {
                double[] v = new double[(int) new Shape(s).size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = positive ? 0.5 + r.nextDouble() : r.nextGaussian();
                    if (!positive && Math.abs(v[i]) < 0.05) {
                        v[i] = 0.3; // keep clear of Abs/Relu kinks
                    }
                }
                values.add(v);
            }
            NDList in = new NDList();
            for (int i = 0; i < shapes.size(); i++) {
                NDArray a = m.create(values.get(i), new Shape(shapes.get(i)));
                a.setRequiresGradient(true);
                in.add(a);
            }
            NDArray weights;
            double[][] analytic = new double[shapes.size()][];
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(m, false), in, true).head();
                double[] w = new double[(int) y.size()];
                for (int i = 0; i < w.length; i++) {
                    w[i] = r.nextGaussian();
                }
                weights = m.create(w, y.getShape());
                gc.backward(y.mul(weights).sum());
            }
            for (int i = 0; i < shapes.size(); i++) {
                analytic[i] = in.get(i).getGradient().toDoubleArray();
            }
            double eps = 1e-6;
            for (int i = 0; i < shapes.size(); i++) {
                double[] v = values.get(i);
                assertEquals(v.length, analytic[i].length);
                for (int k = 0; k < v.length; k++) {
                    double keep = v[k];
                    v[k] = keep + eps;
                    double up = loss(block, m, shapes, values, weights);
                    v[k] = keep - eps;
                    double down = loss(block, m, shapes, values, weights);
                    v[k] = keep;
                    double numeric = (up - down) / (2 * eps);
                    assertTrue(Math.abs(numeric - analytic[i][k]) <= 1e-5 + 1e-4 * Math.abs(numeric),
                            "input " + i + " element " + k + ": autograd " + analytic[i][k] + " vs numeric " + numeric);
                }
            }
        }
    }

    private static double loss(OnnxBlock block, NDManager parent, List<long[]> shapes, List<double[]> values, NDArray w) {
        try (NDManager m = parent.newSubManager()) {
            NDList in = new NDList();
            for (int i = 0; i < shapes.size(); i++) {
                in.add(m.create(values.get(i), new Shape(shapes.get(i))));
            }
            return block.forward(new ParameterStore(m, false), in, false).head().mul(w).sum().toDoubleArray()[0];
        }
    }
}
