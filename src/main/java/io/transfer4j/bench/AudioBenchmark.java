package io.transfer4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.transfer4j.backbone.AudioBackbone;
import io.transfer4j.backbone.AudioEncoder;
import io.transfer4j.data.AudioDataset;
import io.transfer4j.data.ClipLength;
import io.transfer4j.util.Progress;
import io.transfer4j.util.Stats;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Clip features through transfer4j ({@link AudioEncoder}: front end per clip, windows of several
 * clips batched through the encoder) against the same two graphs driven by hand on bare ONNX
 * Runtime the way openWakeWord's own code does (one window per encoder call), in the same process
 * with the repeats interleaved; also the largest difference between the two paths' features.
 */
public final class AudioBenchmark {
    public record Result(int clips, int windowsPerClip, int repeats, double transfer4jClipsPerSec, double bareClipsPerSec,
            double maxAbsDiff) {
        public double speedup() {
            return transfer4jClipsPerSec / bareClipsPerSec;
        }
    }

    private AudioBenchmark() {}

    public static Result run(AudioBackbone backbone, AudioDataset clips, int samples, int repeats, Progress progress) throws OrtException {
        double[] ours = new double[repeats];
        double[] bare = new double[repeats];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] a;
        float[][] b;
        try (AudioEncoder enc = AudioEncoder.open(backbone); OrtSession front = env.createSession(backbone.frontEnd().toString());
                OrtSession emb = env.createSession(backbone.onnx().toString());
                Progress.Task task = progress.start("audio benchmark", (long) (repeats + 1) * 2 * clips.size(), "clips")) {
            a = enc.features(clips, samples, Progress.SILENT); // warm-up of both paths, and their outputs compared
            b = bare(backbone, env, front, emb, clips, samples);
            task.step(2L * clips.size());
            for (int r = 0; r < repeats; r++) {
                long t0;
                if (r % 2 == 0) {
                    t0 = System.nanoTime();
                    enc.features(clips, samples, Progress.SILENT);
                    ours[r] = (System.nanoTime() - t0) / 1e9;
                }
                t0 = System.nanoTime();
                bare(backbone, env, front, emb, clips, samples);
                bare[r] = (System.nanoTime() - t0) / 1e9;
                if (r % 2 == 1) {
                    t0 = System.nanoTime();
                    enc.features(clips, samples, Progress.SILENT);
                    ours[r] = (System.nanoTime() - t0) / 1e9;
                }
                task.step(2L * clips.size());
            }
        }
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                diff = Math.max(diff, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return new Result(clips.size(), backbone.windows(samples), repeats, clips.size() / Stats.median(ours),
                clips.size() / Stats.median(bare), diff);
    }

    /** openWakeWord's way: the log-mel of the clip as 16-bit PCM values, x / 10 + 2, then every 76-frame window (at the backbone's hop) through the embedding alone. */
    private static float[][] bare(AudioBackbone bb, OrtEnvironment env, OrtSession front, OrtSession emb, AudioDataset clips, int samples)
            throws OrtException {
        float[][] out = new float[clips.size()][];
        int len = bb.windowFrames() * bb.bins();
        long[] shape = new long[bb.windowShape().length + 1];
        shape[0] = 1;
        System.arraycopy(bb.windowShape(), 0, shape, 1, bb.windowShape().length);
        for (int c = 0; c < clips.size(); c++) {
            float[] clip = ClipLength.fit(clips.clips()[c], samples);
            for (int i = 0; i < clip.length; i++) {
                clip[i] *= bb.sampleScale(); // openWakeWord feeds 16-bit PCM values
            }
            float[] frames;
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(clip), new long[] {1, samples});
                    OrtSession.Result r = front.run(Map.of(front.getInputNames().iterator().next(), t))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                frames = new float[fb.remaining()];
                fb.get(frames);
            }
            for (int i = 0; i < frames.length; i++) {
                frames[i] = frames[i] * bb.frameScale() + bb.frameOffset();
            }
            int n = frames.length / bb.bins();
            float[] sum = null;
            int windows = 0;
            for (int s = 0; s + bb.windowFrames() <= n; s += bb.windowHop()) {
                float[] w = java.util.Arrays.copyOfRange(frames, s * bb.bins(), s * bb.bins() + len);
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(w), shape);
                        OrtSession.Result r = emb.run(Map.of(bb.input(), t))) {
                    FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    float[] e = new float[fb.remaining()];
                    fb.get(e);
                    if (sum == null) {
                        sum = new float[e.length];
                    }
                    for (int k = 0; k < e.length; k++) {
                        sum[k] += e[k];
                    }
                }
                windows++;
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] /= windows;
            }
            out[c] = sum;
        }
        return out;
    }
}
