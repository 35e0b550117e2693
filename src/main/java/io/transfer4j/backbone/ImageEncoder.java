package io.transfer4j.backbone;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageShape;
import io.transfer4j.onnx.GraphEdits;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.train.ImageRows;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A frozen vision backbone on ONNX Runtime: images in, one feature vector per image out, in
 * batches, normalised exactly as training batches are (through {@link ImageRows}, unaugmented).
 */
public final class ImageEncoder implements AutoCloseable {
    private static final int BATCH = 64;
    private final ImageBackbone backbone;
    private final OrtEnvironment env;
    private final OrtSession session;

    private ImageEncoder(ImageBackbone backbone, OrtEnvironment env, OrtSession session) {
        this.backbone = backbone;
        this.env = env;
        this.session = session;
    }

    public static ImageEncoder open(ImageBackbone backbone) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        return new ImageEncoder(backbone, env, OrtSessions.open(env, backbone.onnx().toString(), null));
    }

    public ImageBackbone backbone() {
        return backbone;
    }

    /** Features of every image; the images must have the backbone's shape. */
    public float[][] features(ImageDataset data, Progress progress) {
        ImageShape s = backbone.shape();
        if (data.channels() != s.channels() || data.height() != s.height() || data.width() != s.width()) {
            throw new UserException(data.source() + " holds " + data.channels() + "x" + data.height() + "x" + data.width()
                    + " images but backbone " + backbone.id() + " reads " + s + "; read them with the backbone's shape");
        }
        ImageRows rows = ImageRows.plain(data, backbone.mean(), backbone.std());
        float[][] out = new float[data.size()][];
        try (Progress.Task task = progress.start("features " + backbone.id(), data.size(), "images")) {
            for (int start = 0; start < data.size(); start += BATCH) {
                int[] idx = IntStream.range(start, Math.min(data.size(), start + BATCH)).toArray();
                float[] flat = run(rows.floats(idx), idx.length);
                int w = flat.length / idx.length;
                for (int r = 0; r < idx.length; r++) {
                    out[idx[r]] = java.util.Arrays.copyOfRange(flat, r * w, (r + 1) * w);
                }
                task.step(idx.length);
            }
        }
        return out;
    }

    private float[] run(float[] batch, int n) {
        ImageShape s = backbone.shape();
        long[] shape = {n, s.channels(), s.height(), s.width()};
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), shape);
                OrtSession.Result r = session.run(Map.of(backbone.input(), t))) {
            float[][] v = (float[][]) r.get(0).getValue();
            float[] flat = new float[n * v[0].length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(v[i], 0, flat, i * v[i].length, v[i].length);
            }
            return flat;
        } catch (OrtException e) {
            throw new UserException("backbone " + backbone.id() + " failed on a batch of " + s + " images (" + e.getMessage()
                    + "); check --image-size and --channels against the model's input");
        }
    }

    /** Rank of the tensor {@code layer} of a model, found by running one blank image through the cut graph. */
    static int rankOf(Path onnx, String input, String layer, ImageShape shape) {
        byte[] cut = GraphEdits.cutAt(OnnxFile.read(onnx), List.of(layer)).model().toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = OrtSessions.open(env, null, cut); OnnxTensor t = blank(env, shape); OrtSession.Result r = s.run(Map.of(input, t))) {
            return ((ai.onnxruntime.TensorInfo) r.get(0).getInfo()).getShape().length;
        } catch (OrtException e) {
            throw new UserException(onnx + " cannot run " + shape + " images up to '" + layer + "' (" + e.getMessage()
                    + "); check --image-size, --channels and --feature-layer");
        }
    }

    /** Width of the features a pooled feature graph gives. */
    static int widthOf(Path features, String input, ImageShape shape) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = OrtSessions.open(env, features.toString(), null); OnnxTensor t = blank(env, shape);
                OrtSession.Result r = s.run(Map.of(input, t))) {
            long[] dims = ((ai.onnxruntime.TensorInfo) r.get(0).getInfo()).getShape();
            return (int) dims[dims.length - 1];
        } catch (OrtException e) {
            throw new UserException(features + " cannot run " + shape + " images (" + e.getMessage() + "); check --image-size and --channels");
        }
    }

    private static OnnxTensor blank(OrtEnvironment env, ImageShape shape) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[shape.values()]),
                new long[] {1, shape.channels(), shape.height(), shape.width()});
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
