package io.transfer4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.transfer4j.backbone.AudioBackbone;
import io.transfer4j.backbone.AudioBackbones;
import io.transfer4j.backbone.AudioEncoder;
import io.transfer4j.data.AudioDataset;
import io.transfer4j.data.AudioDatasetReader;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.audio.AudioRows;
import io.transfer4j.train.WindowedClassifier;
import io.transfer4j.util.Progress;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Google's speech embedding as transfer4j runs it, against the two graphs run by hand on bare ONNX
 * Runtime the way openWakeWord's own code does (log-mel of the clip's 16-bit PCM values, {@code x / 10 + 2}, windows of
 * 76 frames, here every 16 where openWakeWord streams them every 8, the embedding of each, averaged), on real
 * recordings; and the trainable import
 * of the encoder against ONNX Runtime.
 */
class SpeechEmbeddingTest {
    static final List<Path> CLIPS = List.of(Path.of("/usr/share/sonic-pi/samples/drum_snare_hard.flac"),
            Path.of("/usr/share/sonic-pi/samples/elec_blip.flac"), Path.of("/usr/share/sonic-pi/samples/perc_bell.flac"));

    @Test
    void featuresEqualTheGraphsRunByHandOnOnnxRuntime() throws Exception {
        AudioBackbone b = AudioBackbones.speechEmbedding();
        AudioDataset clips = AudioDatasetReader.defaults().unlabelled(CLIPS, b.sampleRate());
        int samples = 24_000; // 1.5 s: 147 frames, 5 windows
        assertEquals(5, b.windows(samples));
        float[][] ours;
        try (AudioEncoder enc = AudioEncoder.open(b)) {
            ours = enc.features(clips, samples, Progress.SILENT);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession mel = env.createSession(b.frontEnd().toString()); OrtSession emb = env.createSession(b.onnx().toString())) {
            for (int c = 0; c < clips.size(); c++) {
                float[] clip = io.transfer4j.data.ClipLength.fit(clips.clips()[c], samples);
                for (int i = 0; i < clip.length; i++) {
                    clip[i] *= 32768f; // openWakeWord's Python feeds the front end 16-bit PCM values as floats
                }
                float[] frames;
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(clip), new long[] {1, samples});
                        OrtSession.Result r = mel.run(Map.of("input", t))) {
                    float[][][][] v = (float[][][][]) r.get(0).getValue(); // [1, 1, frames, 32]
                    frames = new float[v[0][0].length * 32];
                    for (int f = 0; f < v[0][0].length; f++) {
                        for (int k = 0; k < 32; k++) {
                            frames[f * 32 + k] = v[0][0][f][k] / 10f + 2f;
                        }
                    }
                }
                int nFrames = frames.length / 32;
                double[] mean = new double[96];
                int windows = 0;
                for (int start = 0; start + 76 <= nFrames; start += 16) {
                    float[] w = java.util.Arrays.copyOfRange(frames, start * 32, (start + 76) * 32);
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(w), new long[] {1, 76, 32, 1});
                            OrtSession.Result r = emb.run(Map.of("input_1", t))) {
                        float[] e = ((float[][][][]) r.get(0).getValue())[0][0][0];
                        for (int k = 0; k < 96; k++) {
                            mean[k] += e[k];
                        }
                    }
                    windows++;
                }
                assertEquals(5, windows);
                for (int k = 0; k < 96; k++) {
                    assertEquals(mean[k] / windows, ours[c][k], 1e-4, "clip " + c + " feature " + k);
                }
            }
        }
    }

    @Test
    void theTrainableEncoderComputesWhatOnnxRuntimeDoes() {
        AudioBackbone b = AudioBackbones.speechEmbedding();
        AudioDataset clips = AudioDatasetReader.defaults().unlabelled(CLIPS, b.sampleRate());
        int samples = 16_000;
        try (AudioEncoder enc = AudioEncoder.open(b); Model m = Model.newInstance("se", Device.cpu(), "PyTorch");
                NDManager data = m.getNDManager().newSubManager()) {
            float[][] frozen = enc.features(clips, samples, Progress.SILENT);
            WindowedClassifier net = new WindowedClassifier(OnnxBlock.load(OnnxFile.read(b.onnx()), m.getNDManager()), 96, 2);
            AudioRows rows = AudioRows.plain(clips, enc, samples);
            net.initialize(m.getNDManager(), DataType.FLOAT32, rows.shapes(3));
            float[] pooled = net.pooled(new ParameterStore(data, false), rows.batch(data, new int[] {0, 1, 2}), false).toFloatArray();
            double worst = 0;
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 96; k++) {
                    worst = Math.max(worst, Math.abs(pooled[c * 96 + k] - frozen[c][k]));
                }
            }
            assertTrue(worst <= 1e-4, "trainable import vs ONNX Runtime: max difference " + worst);
        }
    }
}
