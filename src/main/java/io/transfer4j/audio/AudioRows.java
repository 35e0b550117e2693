package io.transfer4j.audio;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.transfer4j.train.Rows;
import io.transfer4j.backbone.AudioBackbone;
import io.transfer4j.backbone.AudioEncoder;
import io.transfer4j.data.AudioAugmentation;
import io.transfer4j.data.AudioAugmenter;
import io.transfer4j.data.AudioDataset;
import io.transfer4j.data.ClipLength;
import java.util.Arrays;
import java.util.Random;

/**
 * Clips as network input: each batch is {@code [clips, windows, window...]}, made when it is
 * needed from the waveforms (augmented only for the training set), through the frozen front end
 * on ONNX Runtime, with SpecAugment masks on the frames. The draws of a batch are seeded by the
 * run's seed and the batch's rows, as for images; without waveform augmentation each clip's
 * frames are computed once.
 */
public final class AudioRows implements Rows {
    private final AudioDataset data;
    private final AudioEncoder frontEnd;
    private final int samples;
    private final AudioAugmentation augmentation;
    private final AudioAugmenter augmenter;
    private final long seed;
    private final float[][] cached;

    /**
     * @param frontEnd open for as long as batches are drawn (the caller closes it)
     * @param samples the run's clip length
     * @param noise background recordings for noise augmentation (may be empty)
     */
    public AudioRows(AudioDataset data, AudioEncoder frontEnd, int samples, AudioAugmentation augmentation, float[][] noise, long seed) {
        this.data = data;
        this.frontEnd = frontEnd;
        this.samples = samples;
        this.augmentation = augmentation;
        this.augmenter = new AudioAugmenter(augmentation, data.sampleRate(), noise);
        this.seed = seed;
        this.cached = augmentation.changesWaveform() ? null : new float[data.size()][];
    }

    /** Rows for inference: no augmentation. */
    public static AudioRows plain(AudioDataset data, AudioEncoder frontEnd, int samples) {
        return new AudioRows(data, frontEnd, samples, AudioAugmentation.NONE, null, 0);
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public NDList batch(NDManager manager, int[] rows) {
        return new NDList(manager.create(floats(rows), shape(rows.length)));
    }

    /** The batch as floats, exactly as {@link #batch} gives it to the network. */
    public float[] floats(int[] rows) {
        AudioBackbone b = frontEnd.backbone();
        int windows = b.windows(samples);
        int len = windows * b.windowFrames() * b.bins();
        float[] out = new float[rows.length * len];
        Random rng = new Random(seed * 1_000_003L + Arrays.hashCode(rows));
        for (int r = 0; r < rows.length; r++) {
            float[] frames = frames(rows[r], rng);
            if (augmentation.any()) {
                frames = frames.clone(); // never mask a cached copy
                augmenter.mask(frames, b.bins(), rng);
            }
            System.arraycopy(frontEnd.windows(frames, windows), 0, out, r * len, len);
        }
        return out;
    }

    private float[] frames(int row, Random rng) {
        if (cached == null) {
            return frontEnd.frames(augmenter.waveform(data.clips()[row], samples, rng));
        }
        if (cached[row] == null) {
            cached[row] = frontEnd.frames(ClipLength.fit(data.clips()[row], samples));
        }
        return cached[row];
    }

    @Override
    public Shape[] shapes(int n) {
        return new Shape[] {shape(n)};
    }

    private Shape shape(int n) {
        AudioBackbone b = frontEnd.backbone();
        long[] dims = new long[b.windowShape().length + 2];
        dims[0] = n;
        dims[1] = b.windows(samples);
        System.arraycopy(b.windowShape(), 0, dims, 2, b.windowShape().length);
        return new Shape(dims);
    }
}
