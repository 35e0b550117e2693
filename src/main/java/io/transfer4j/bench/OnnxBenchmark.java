package io.transfer4j.bench;

import io.transfer4j.util.Stats;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxChecker;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.onnx.Precision;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Times one imported graph: ONNX Runtime's forward, transfer4j's interpreted forward (no
 * gradient), and transfer4j's forward + backward, each also with the dense products in bf16,
 * on the same int64 inputs, repeats interleaved, medians reported.
 */
public final class OnnxBenchmark {
    /** Medians in milliseconds. */
    public record Result(int nodes, double onnxRuntimeMs, double forwardMs, double forwardBackwardMs, double bf16ForwardMs,
            double bf16ForwardBackwardMs) {}

    private OnnxBenchmark() {}

    public static Result run(OnnxFile f, List<OnnxChecker.Feed> feeds, int repeats) throws OrtException {
        return run(f, feeds, repeats, io.transfer4j.util.Progress.SILENT);
    }

    /** As {@link #run(OnnxFile, List, int)}, counting the warm-up and each timed repeat on {@code progress}. */
    public static Result run(OnnxFile f, List<OnnxChecker.Feed> feeds, int repeats, io.transfer4j.util.Progress progress)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double[] ort = new double[repeats];
        double[] fwd = new double[repeats];
        double[] fb = new double[repeats];
        double[] fwd16 = new double[repeats];
        double[] fb16 = new double[repeats];
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(f.path().toString(), o);
                Model model = Model.newInstance("bench", Device.cpu(), "PyTorch");
                io.transfer4j.util.Progress.Task task = progress.start("onnx benchmark", repeats + 1L, "rounds")) {
            OnnxBlock block = OnnxBlock.load(f, model.getNDManager());
            for (int r = -1; r < repeats; r++) {
                // r = -1 warms both paths up
                Map<String, OnnxTensor> in = new HashMap<>();
                for (OnnxChecker.Feed feed : feeds) {
                    in.put(feed.name(), OnnxTensor.createTensor(env, LongBuffer.wrap(feed.longs()), feed.shape()));
                }
                long t0 = System.nanoTime();
                try (OrtSession.Result res = s.run(in)) {
                    ((OnnxTensor) res.get(0)).getFloatBuffer().get(0);
                } finally {
                    in.values().forEach(OnnxTensor::close);
                }
                long t1 = System.nanoTime();
                double[] fp32 = interpreted(block, model, feeds, Precision.FP32);
                double[] bf16 = interpreted(block, model, feeds, Precision.BF16);
                if (r >= 0) {
                    ort[r] = (t1 - t0) / 1e6;
                    fwd[r] = fp32[0];
                    fb[r] = fp32[1];
                    fwd16[r] = bf16[0];
                    fb16[r] = bf16[1];
                }
                task.step(1);
            }
            block.setPrecision(Precision.FP32);
            return new Result(f.model().getGraph().getNodeCount(), Stats.median(ort), Stats.median(fwd), Stats.median(fb),
                    Stats.median(fwd16), Stats.median(fb16));
        }
    }

    /** Milliseconds of one forward (no gradient) and one forward + backward with the dense products in {@code precision}. */
    private static double[] interpreted(OnnxBlock block, Model model, List<OnnxChecker.Feed> feeds, Precision precision) {
        block.setPrecision(precision);
        long t0 = System.nanoTime();
        try (NDManager m = model.getNDManager().newSubManager()) {
            block.forward(new ParameterStore(m, false), OnnxChecker.inputs(m, block, feeds), false).head().toFloatArray();
        }
        long t1 = System.nanoTime();
        try (NDManager m = model.getNDManager().newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(m, false), OnnxChecker.inputs(m, block, feeds), true).head();
            NDArray loss = y.square().mean();
            loss.attach(m);
            gc.backward(loss);
        }
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
    }
}
