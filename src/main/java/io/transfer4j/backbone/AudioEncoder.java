package io.transfer4j.backbone;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.transfer4j.data.AudioDataset;
import io.transfer4j.data.ClipLength;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An audio backbone on ONNX Runtime: each clip fitted to the run's length, through the front
 * end on its own (openWakeWord's log-mel clamps every value against the maximum of the whole
 * batch, so clips batched together would change each other's frames), cut into windows, and the
 * windows of several clips through the encoder in one batch; a clip's features are the mean of
 * its windows' vectors.
 */
public final class AudioEncoder implements AutoCloseable {
    /** Windows per encoder batch. */
    private static final int BATCH = 96;
    private final AudioBackbone backbone;
    private final OrtEnvironment env;
    private final OrtSession frontEnd;
    private final OrtSession encoder;

    private AudioEncoder(AudioBackbone backbone, OrtEnvironment env, OrtSession frontEnd, OrtSession encoder) {
        this.backbone = backbone;
        this.env = env;
        this.frontEnd = frontEnd;
        this.encoder = encoder;
    }

    public static AudioEncoder open(AudioBackbone backbone) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession front = backbone.frontEnd() == null ? null : OrtSessions.open(env, backbone.frontEnd().toString(), null);
        try {
            return new AudioEncoder(backbone, env, front, OrtSessions.open(env, backbone.onnx().toString(), null));
        } catch (RuntimeException e) {
            closeQuietly(front);
            throw e;
        }
    }

    public AudioBackbone backbone() {
        return backbone;
    }

    /**
     * The frames of one clip already fitted to the run's length, time-major ({@code frames x bins}),
     * scaled as the encoder expects; the waveform itself when the encoder reads samples.
     */
    public float[] frames(float[] clip) {
        if (frontEnd == null) {
            return clip;
        }
        float[] in = clip;
        if (backbone.sampleScale() != 1f) {
            in = new float[clip.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = clip[i] * backbone.sampleScale();
            }
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), new long[] {1, in.length});
                OrtSession.Result r = frontEnd.run(Map.of(frontEnd.getInputNames().iterator().next(), t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] * backbone.frameScale() + backbone.frameOffset();
            }
            return v;
        } catch (OrtException e) {
            throw new UserException("the front end of " + backbone.id() + " failed on a clip of " + clip.length + " samples ("
                    + e.getMessage() + "); the clip may be shorter than one frame");
        }
    }

    /** The windows of a clip's frames, one after another: {@code windows x windowFrames x bins} values. */
    public float[] windows(float[] frames, int windows) {
        int len = backbone.windowFrames() * backbone.bins();
        int hop = backbone.windowHop() * backbone.bins();
        float[] out = new float[windows * len];
        for (int w = 0; w < windows; w++) {
            int from = w * hop;
            int n = Math.max(0, Math.min(len, frames.length - from)); // a clip shorter than a window is padded with the frames' floor
            System.arraycopy(frames, from, out, w * len, n);
        }
        return out;
    }

    /** Features of every clip, each fitted to {@code samples} ({@link ClipLength}) first. */
    public float[][] features(AudioDataset data, int samples, Progress progress) {
        int windows = backbone.windows(samples);
        int clipsPerBatch = Math.max(1, BATCH / windows);
        int len = backbone.windowFrames() * backbone.bins();
        float[][] out = new float[data.size()][];
        try (Progress.Task task = progress.start("features " + backbone.id(), data.size(), "clips")) {
            for (int start = 0; start < data.size(); start += clipsPerBatch) {
                int n = Math.min(clipsPerBatch, data.size() - start);
                float[] batch = new float[n * windows * len];
                for (int c = 0; c < n; c++) {
                    float[] w = windows(frames(ClipLength.fit(data.clips()[start + c], samples)), windows);
                    System.arraycopy(w, 0, batch, c * windows * len, w.length);
                }
                float[][] perWindow = encode(batch, n * windows);
                for (int c = 0; c < n; c++) {
                    out[start + c] = mean(perWindow, c * windows, windows);
                }
                task.step(n);
            }
        }
        return out;
    }

    /** The encoder's vector for each of {@code n} windows laid out one after another. */
    public float[][] encode(float[] windows, int n) {
        long[] shape = new long[backbone.windowShape().length + 1];
        shape[0] = n;
        System.arraycopy(backbone.windowShape(), 0, shape, 1, backbone.windowShape().length);
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(windows), shape);
                OrtSession.Result r = encoder.run(Map.of(backbone.input(), t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            int width = fb.remaining() / n;
            float[][] out = new float[n][width];
            for (int i = 0; i < n; i++) {
                fb.get(out[i]);
            }
            return out;
        } catch (OrtException e) {
            throw new UserException("audio encoder " + backbone.id() + " failed on a batch of windows shaped "
                    + java.util.Arrays.toString(shape) + " (" + e.getMessage() + "); check that the model reads such windows");
        }
    }

    private static float[] mean(float[][] rows, int from, int n) {
        float[] m = new float[rows[from].length];
        for (int i = from; i < from + n; i++) {
            for (int j = 0; j < m.length; j++) {
                m[j] += rows[i][j];
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= n;
        }
        return m;
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing after a failed open: the first error is the one to report
            }
        }
    }

    @Override
    public void close() {
        try {
            if (frontEnd != null) {
                frontEnd.close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                encoder.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
