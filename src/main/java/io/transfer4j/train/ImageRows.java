package io.transfer4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.transfer4j.data.Augmentation;
import io.transfer4j.data.Augmenter;
import io.transfer4j.data.ImageDataset;
import java.util.Arrays;
import java.util.Random;

/**
 * Images as network input: each batch is made from the 8-bit pixels when it is needed, scaled
 * to [0, 1], augmented (only when this set of rows was given an augmentation: the training set,
 * never validation or test), normalised with the backbone's mean and standard deviation per
 * channel, and mixed in pairs for mixup/cutmix. The random draws of a batch are seeded by the
 * run's seed and the batch's rows, so the same batch is augmented the same way every time it is
 * drawn, including after a resume.
 */
public final class ImageRows implements Rows {
    private final ImageDataset data;
    private final float[] mean;
    private final float[] std;
    private final Augmentation augmentation;
    private final Augmenter augmenter;
    private final long seed;

    public ImageRows(ImageDataset data, float[] mean, float[] std, Augmentation augmentation, long seed) {
        if (mean.length != data.channels() || std.length != data.channels()) {
            throw new IllegalArgumentException("mean and std need one value per channel (" + data.channels() + ")");
        }
        this.data = data;
        this.mean = mean.clone();
        this.std = std.clone();
        this.augmentation = augmentation;
        this.augmenter = new Augmenter(augmentation, data.channels(), data.height(), data.width());
        this.seed = seed;
    }

    /** Rows for inference: no augmentation. */
    public static ImageRows plain(ImageDataset data, float[] mean, float[] std) {
        return new ImageRows(data, mean, std, Augmentation.NONE, 0);
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public NDList batch(NDManager manager, int[] rows) {
        return new NDList(manager.create(floats(rows), shape(rows.length)));
    }

    /** The batch as floats (n·C·H·W), exactly as {@link #batch} gives it to the network. */
    public float[] floats(int[] rows) {
        int len = data.pixelsPerImage();
        float[] out = new float[rows.length * len];
        Random rng = random(rows);
        Augmenter.Mixing mix = augmenter.mixing(rows.length, rng);
        int plane = data.height() * data.width();
        for (int r = 0; r < rows.length; r++) {
            byte[] px = data.pixels()[rows[r]];
            float[] img = new float[len];
            for (int j = 0; j < len; j++) {
                img[j] = (px[j] & 0xff) / 255f;
            }
            if (augmentation.any()) {
                img = augmenter.geometryAndColour(img, rng);
            }
            for (int j = 0; j < len; j++) {
                int c = j / plane;
                img[j] = (img[j] - mean[c]) / std[c];
            }
            if (augmentation.any()) {
                augmenter.erase(img, rng);
            }
            System.arraycopy(img, 0, out, r * len, len);
        }
        if (mix != null) {
            augmenter.mix(out, rows.length, mix);
        }
        return out;
    }

    @Override
    public Augmenter.Mixing mixing(int[] rows) {
        return augmenter.mixing(rows.length, random(rows)); // the batch's first draws, as in floats()
    }

    private Random random(int[] rows) {
        return new Random(seed * 1_000_003L + Arrays.hashCode(rows));
    }

    @Override
    public Shape[] shapes(int n) {
        return new Shape[] {shape(n)};
    }

    private Shape shape(int n) {
        return new Shape(n, data.channels(), data.height(), data.width());
    }
}
