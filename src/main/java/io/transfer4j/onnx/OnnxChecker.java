package io.transfer4j.onnx;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.onnx.proto.Onnx.TensorShapeProto;
import io.transfer4j.onnx.proto.Onnx.ValueInfoProto;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs one ONNX file through transfer4j's interpreter and through ONNX Runtime on the same inputs
 * and reports the largest absolute difference per output. Inputs are real sentences when a
 * tokenizer is given, else seeded random values shaped by the graph's declared inputs.
 */
public final class OnnxChecker {
    /** Per output: name, shape and max |transfer4j - ONNX Runtime|. */
    public record Output(String name, long[] shape, double maxAbsDiff, double maxAbsReference) {
        /** The difference relative to the output's scale, so tiny outputs do not hide a mismatch. */
        public double relative() {
            return maxAbsReference == 0 ? maxAbsDiff : maxAbsDiff / maxAbsReference;
        }

        /**
         * The difference as float32 can hold it: absolute for outputs within [-1, 1], relative to the
         * output's largest value beyond (as numpy's allclose with equal rtol and atol), since a logit
         * of 300 carries rounding of about 3e-5 in either engine.
         */
        public double scaled() {
            return maxAbsDiff / Math.max(1, maxAbsReference);
        }
    }

    public record Result(List<Output> outputs, long onnxRuntimeMillis, long transfer4jMillis) {
        public double worst() {
            return outputs.stream().mapToDouble(Output::scaled).max().orElse(0);
        }
    }

    /** A named input: int64 or float32 values in row-major order. */
    public record Feed(String name, long[] shape, long[] longs, float[] floats) {}

    private OnnxChecker() {}

    public static List<Feed> textFeeds(OnnxFile f, Path tokenizer, List<String> texts, int maxLength) {
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer).optMaxLength(maxLength)
                .optTruncation(true).optPadding(true).build()) {
            Encoding[] enc = tok.batchEncode(texts);
            int len = 0;
            for (Encoding e : enc) {
                len = Math.max(len, e.getIds().length);
            }
            long[] ids = new long[enc.length * len];
            long[] mask = new long[enc.length * len];
            long[] types = new long[enc.length * len];
            for (int i = 0; i < enc.length; i++) {
                long[] row = enc[i].getIds();
                System.arraycopy(row, 0, ids, i * len, row.length);
                System.arraycopy(enc[i].getAttentionMask(), 0, mask, i * len, row.length);
                System.arraycopy(enc[i].getTypeIds(), 0, types, i * len, row.length);
            }
            long[] shape = {enc.length, len};
            List<Feed> feeds = new ArrayList<>();
            for (ValueInfoProto v : dataInputs(f)) {
                String n = v.getName();
                long[] vals = n.contains("mask") ? mask : n.contains("type") ? types : ids;
                feeds.add(new Feed(n, shape, vals, null));
            }
            return feeds;
        } catch (IOException e) {
            throw new UserException("cannot load tokenizer " + tokenizer + ": " + e.getMessage());
        }
    }

    /**
     * One real image as the graph's single float input [1, 3, height, width]: decoded, resized,
     * scaled to [0, 1], then normalised per channel with {@code mean} and {@code std}.
     */
    public static List<Feed> imageFeeds(OnnxFile f, Path image, int height, int width, float[] mean, float[] std) {
        List<ValueInfoProto> in = dataInputs(f);
        if (in.size() != 1) {
            throw new UserException("--image feeds graphs with one input; this one has " + in.size());
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            ai.djl.modality.cv.Image img = ai.djl.modality.cv.ImageFactory.getInstance().fromFile(image);
            NDArray hwc = img.toNDArray(m, ai.djl.modality.cv.Image.Flag.COLOR);
            NDArray resized = ai.djl.modality.cv.util.NDImageUtils.resize(hwc, width, height);
            NDArray chw = resized.transpose(2, 0, 1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).div(255f);
            NDArray norm = chw.sub(m.create(mean).reshape(3, 1, 1)).div(m.create(std).reshape(3, 1, 1));
            return List.of(new Feed(in.get(0).getName(), new long[] {1, 3, height, width}, null, norm.toFloatArray()));
        } catch (IOException e) {
            throw new UserException("cannot read image " + image + ": " + e.getMessage());
        }
    }

    /** Seeded random inputs; symbolic dimensions become {@code batch} (first) or {@code length}. */
    public static List<Feed> randomFeeds(OnnxFile f, int batch, int length, long seed) {
        Random r = new Random(seed);
        List<Feed> feeds = new ArrayList<>();
        for (ValueInfoProto v : dataInputs(f)) {
            List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).hasDimValue() && dims.get(i).getDimValue() > 0 ? dims.get(i).getDimValue() : i == 0 ? batch : length;
            }
            int n = (int) new Shape(shape).size();
            int elem = v.getType().getTensorType().getElemType();
            if (elem == TensorProto.DataType.INT64_VALUE) {
                long[] vals = new long[n];
                for (int i = 0; i < n; i++) {
                    vals[i] = v.getName().contains("mask") ? 1 : v.getName().contains("type") ? 0 : 1000 + r.nextInt(1000);
                }
                feeds.add(new Feed(v.getName(), shape, vals, null));
            } else if (elem == TensorProto.DataType.FLOAT_VALUE) {
                float[] vals = new float[n];
                for (int i = 0; i < n; i++) {
                    vals[i] = (float) r.nextGaussian();
                }
                feeds.add(new Feed(v.getName(), shape, null, vals));
            } else {
                throw new UserException("input " + v.getName() + " has type " + TensorTypes.name(elem)
                        + "; onnx check feeds int64 and float inputs only");
            }
        }
        return feeds;
    }

    private static List<ValueInfoProto> dataInputs(OnnxFile f) {
        java.util.Set<String> init = new java.util.HashSet<>();
        f.model().getGraph().getInitializerList().forEach(t -> init.add(t.getName()));
        return f.model().getGraph().getInputList().stream().filter(v -> !init.contains(v.getName())).toList();
    }

    /** The feeds as the block's inputs, in its input order, on {@code m}. */
    public static NDList inputs(NDManager m, OnnxBlock block, List<Feed> feeds) {
        NDList in = new NDList();
        for (String name : block.inputNames()) {
            Feed feed = feeds.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new UserException("no value given for input '" + name + "'"));
            in.add(feed.longs() != null ? m.create(feed.longs(), new Shape(feed.shape()))
                    : m.create(feed.floats(), new Shape(feed.shape())));
        }
        return in;
    }

    /** Both engines' outputs on the same feeds, by output name, as float32 in row-major order. */
    public record Outputs(Map<String, float[]> onnxRuntime, Map<String, float[]> transfer4j, Map<String, long[]> shapes,
            List<String> names, long onnxRuntimeMillis, long transfer4jMillis) {}

    public static Result check(OnnxFile f, List<Feed> feeds) {
        Outputs o = run(f, feeds);
        List<Output> res = new ArrayList<>();
        for (String name : o.names()) {
            float[] ref = o.onnxRuntime().get(name);
            float[] ours = o.transfer4j().get(name);
            double worst = ref.length != ours.length ? Double.POSITIVE_INFINITY : 0;
            double scale = 0;
            for (int k = 0; k < ref.length && k < ours.length; k++) {
                worst = Math.max(worst, Math.abs(ref[k] - ours[k]));
                scale = Math.max(scale, Math.abs(ref[k]));
            }
            res.add(new Output(name, o.shapes().get(name), worst, scale));
        }
        return new Result(res, o.onnxRuntimeMillis(), o.transfer4jMillis());
    }

    public static Outputs run(OnnxFile f, List<Feed> feeds) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, float[]> reference = new HashMap<>();
        long ortMillis;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(f.path().toString(), o)) {
            Map<String, OnnxTensor> in = new HashMap<>();
            try {
                for (Feed feed : feeds) {
                    in.put(feed.name(), feed.longs() != null
                            ? OnnxTensor.createTensor(env, LongBuffer.wrap(feed.longs()), feed.shape())
                            : OnnxTensor.createTensor(env, FloatBuffer.wrap(feed.floats()), feed.shape()));
                }
                long t0 = System.nanoTime();
                try (OrtSession.Result r = s.run(in)) {
                    ortMillis = (System.nanoTime() - t0) / 1_000_000;
                    for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                        FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                        float[] v = new float[fb.remaining()];
                        fb.get(v);
                        reference.put(e.getKey(), v);
                    }
                }
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        } catch (OrtException e) {
            throw new UserException("ONNX Runtime cannot run " + f.path() + ": " + e.getMessage());
        }
        try (Model model = Model.newInstance("onnx-check", Device.cpu(), "PyTorch")) {
            OnnxBlock block = OnnxBlock.load(f, model.getNDManager());
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList in = inputs(m, block, feeds);
                long t0 = System.nanoTime();
                NDList out = block.forward(new ParameterStore(m, false), in, false);
                Map<String, float[]> ours = new HashMap<>();
                Map<String, long[]> shapes = new HashMap<>();
                for (int i = 0; i < out.size(); i++) {
                    String name = block.outputNames().get(i);
                    ours.put(name, out.get(i).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
                    shapes.put(name, out.get(i).getShape().getShape());
                }
                long djlMillis = (System.nanoTime() - t0) / 1_000_000;
                return new Outputs(reference, ours, shapes, block.outputNames(), ortMillis, djlMillis);
            }
        }
    }

}
