package io.transfer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.util.UserException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bf16 dense products through the generated TorchScript module: they agree with fp32 to bf16's
 * precision (and are really bf16: not fp32-exact), gradients reach the fp32 operands, and a real
 * encoder run in bf16 gives fp32's embeddings to within that precision.
 */
class Bf16KernelsTest {
    /** bf16 keeps 8 significant bits: a relative error of 2^-9 per operand, growing like sqrt(k) over k products */
    private static final double BF16_REL = 0.02;

    private static double relErr(NDArray got, NDArray want) {
        return got.sub(want).abs().max().getFloat() / want.abs().max().getFloat();
    }

    @Test
    void matMulIsBf16AccurateAndGradientsReachTheFp32Operands() {
        DenseKernels bf16 = Bf16Kernels.shared();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(3);
            NDArray a = m.randomNormal(new Shape(4, 16, 64));
            NDArray w = m.randomNormal(new Shape(64, 32));
            NDArray r = m.randomNormal(new Shape(4, 16, 32));
            a.setRequiresGradient(true);
            w.setRequiresGradient(true);
            w.setName("encoder.layer.0.weight"); // a parameter's name must not be read as structure
            NDArray got;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                got = bf16.matMul(a, w);
                gc.backward(got.mul(r).sum());
            }
            // fresh leaves for the reference: gradients accumulate on a leaf across backward passes
            NDArray a32 = a.duplicate();
            NDArray w32 = w.duplicate();
            a32.setRequiresGradient(true);
            w32.setRequiresGradient(true);
            NDArray want;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                want = a32.matMul(w32);
                gc.backward(want.mul(r).sum());
            }
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, got.getDataType(), "fp32 comes back across JNI");
            double err = relErr(got, want);
            assertTrue(err < BF16_REL, "bf16 vs fp32 product: " + err);
            assertTrue(err > 1e-5, "the product ran in bf16, not fp32: " + err);
            double ea = relErr(a.getGradient(), a32.getGradient());
            double ew = relErr(w.getGradient(), w32.getGradient());
            assertTrue(ea < BF16_REL && ea > 1e-5, "dL/da in bf16 vs fp32: " + ea);
            assertTrue(ew < BF16_REL && ew > 1e-5, "dL/dw in bf16 vs fp32: " + ew);
        }
    }

    @Test
    void convolutionsOfEachConfigurationMatchFp32WithAndWithoutBias() {
        DenseKernels bf16 = Bf16Kernels.shared();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(2, 8, 15, 15));
            NDArray w = m.randomNormal(new Shape(16, 8, 3, 3));
            NDArray dw = m.randomNormal(new Shape(8, 1, 3, 3));
            NDArray b = m.randomNormal(new Shape(16));
            long[] one = {1, 1};
            for (long[] stride : List.of(one, new long[] {2, 2})) {
                NDArray got = bf16.conv(x, w, b, stride, one, one, 1);
                NDArray want = DenseKernels.FP32.conv(x, w, b, stride, one, one, 1);
                assertEquals(want.getShape(), got.getShape());
                assertTrue(relErr(got, want) < BF16_REL, "conv stride " + stride[0] + ": " + relErr(got, want));
            }
            NDArray gotDw = bf16.conv(x, dw, null, one, new long[] {0, 0}, new long[] {2, 2}, 8);
            NDArray wantDw = DenseKernels.FP32.conv(x, dw, null, one, new long[] {0, 0}, new long[] {2, 2}, 8);
            assertEquals(new Shape(2, 8, 11, 11), gotDw.getShape(), "depthwise, dilation 2, no pads");
            assertTrue(relErr(gotDw, wantDw) < BF16_REL, "depthwise: " + relErr(gotDw, wantDw));
            NDArray x1 = m.randomNormal(new Shape(2, 4, 50));
            NDArray w1 = m.randomNormal(new Shape(6, 4, 5));
            NDArray got1 = bf16.conv(x1, w1, null, new long[] {2}, new long[] {2}, new long[] {1}, 1);
            assertTrue(relErr(got1, DenseKernels.FP32.conv(x1, w1, null, new long[] {2}, new long[] {2}, new long[] {1}, 1)) < BF16_REL);
        }
    }

    @Test
    void theDefaultEncoderInBf16GivesFp32sEmbeddingsAndTrains() {
        BackboneFiles f = BackboneLocator.standard().locate(BackboneCatalogue.load().resolve(BackboneCatalogue.DEFAULT_ID));
        OnnxFile file = OnnxFile.read(f.onnx());
        List<OnnxChecker.Feed> feeds = OnnxChecker.textFeeds(file, f.tokenizer(),
                List.of("A moving, beautifully acted film that stays with you.", "Dull and far too long; I checked my watch twice."), 32);
        try (Model model = Model.newInstance("enc", Device.cpu(), "PyTorch"); NDManager data = model.getNDManager().newSubManager()) {
            OnnxBlock block = OnnxBlock.load(file, model.getNDManager());
            NDList in = new NDList();
            for (OnnxChecker.Feed feed : feeds) {
                in.add(data.create(feed.longs(), new Shape(feed.shape())));
            }
            NDArray fp32 = block.forward(new ParameterStore(data, false), in, false).head().get(":, 0, :");
            assertEquals(Precision.BF16, block.setPrecision(Precision.BF16));
            NDArray bf16 = block.forward(new ParameterStore(data, false), in, false).head().get(":, 0, :");
            NDArray cos = fp32.mul(bf16).sum(new int[] {1}).div(fp32.norm(new int[] {1}).mul(bf16.norm(new int[] {1})));
            for (float c : cos.toFloatArray()) {
                assertTrue(c > 0.995, "cosine of the [CLS] vectors, bf16 vs fp32: " + c);
            }
            assertTrue(Graphs.maxDiff(fp32.toFloatArray(), bf16.toFloatArray()) > 1e-4, "the bf16 run is not the fp32 run");
            // gradients flow through the bf16 products back to the fp32 weights
            ParameterStore ps = new ParameterStore(data, false);
            ai.djl.nn.Parameter q = block.getParameters().values().stream()
                    .filter(p -> p.getArray().getShape().dimension() == 2 && p.requiresGradient()).skip(5).findFirst().orElseThrow();
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = block.forward(ps, in, true).head();
                gc.backward(out.square().mean());
            }
            float g = q.getArray().getGradient().abs().sum().getFloat();
            assertTrue(g > 0 && Float.isFinite(g), q.getName() + " gets a finite, non-zero gradient: " + g);
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, q.getArray().getDataType(), "master weights stay fp32");
        }
    }

    @Test
    void precisionParsesAndAutoResolvesByTheCpu() {
        assertEquals(Precision.BF16, Precision.parse("BF16"));
        assertEquals(Precision.FP32, Precision.FP32.resolve());
        assertEquals(Precision.cpuHasBf16() ? Precision.BF16 : Precision.FP32, Precision.AUTO.resolve());
        UserException e = assertThrows(UserException.class, () -> Precision.parse("fp16"));
        assertTrue(e.getMessage().contains("fp32, bf16 or auto"), e.getMessage());
    }
}
