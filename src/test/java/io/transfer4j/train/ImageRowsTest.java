package io.transfer4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.transfer4j.data.Augmentation;
import io.transfer4j.data.Augmenter;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.data.ImageShape;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageRowsTest {
    static final ImageDataset DEMO = ImageDatasetReader.defaults().read(Path.of("data/demo/fashion"), new ImageShape(1, 28, 28));
    static final float[] MEAN = {0.3f};
    static final float[] STD = {0.35f};

    @Test
    void plainRowsAreTheNormalisedPixelsEveryTime() {
        ImageRows plain = ImageRows.plain(DEMO, MEAN, STD);
        int[] rows = {3, 17, 250};
        float[] a = plain.floats(rows);
        assertArrayEquals(a, plain.floats(rows));
        assertEquals(((DEMO.pixels()[17][100] & 0xff) / 255f - 0.3f) / 0.35f, a[784 + 100], 1e-6);
        assertNull(plain.mixing(rows));
    }

    @Test
    void trainingRowsAreAugmentedReproduciblyAndValidationRowsNever() {
        ImageRows train = new ImageRows(DEMO, MEAN, STD, Augmentation.parse("standard"), 42);
        ImageRows validation = ImageRows.plain(DEMO, MEAN, STD);
        int[] rows = {0, 1, 2, 3};
        float[] aug = train.floats(rows);
        assertArrayEquals(aug, train.floats(rows), "the same batch is augmented the same way when drawn again");
        assertFalse(Arrays.equals(aug, validation.floats(rows)), "training batches differ from the plain images");
        assertFalse(Arrays.equals(aug, new ImageRows(DEMO, MEAN, STD, Augmentation.parse("standard"), 43).floats(rows)),
                "another seed augments differently");
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(new Shape(4, 1, 28, 28), train.batch(m, rows).head().getShape());
        }
    }

    @Test
    void mixedBatchesGetTargetsMixedInTheSameProportion() {
        ImageRows mixed = new ImageRows(DEMO, MEAN, STD, Augmentation.parse("mixup=0.4"), 7);
        int[] rows = {5, 6, 7};
        Augmenter.Mixing mix = mixed.mixing(rows);
        assertNotNull(mix);
        float[] plain = ImageRows.plain(DEMO, MEAN, STD).floats(rows);
        float[] got = mixed.floats(rows);
        int p = mix.partner()[0];
        assertEquals(mix.lambda() * plain[200] + (1 - mix.lambda()) * plain[p * 784 + 200], got[200], 1e-5);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1f, -0.5f, 0.2f, 0.3f, 2f, -1f, 0f, 0f, 1f}, new Shape(3, 3));
            int[] y = {0, 0, 0, 0, 0, 1, 2, 0};
            float got0 = TrainingLoop.crossEntropy(m, logits, y, rows, 0f, mix).getFloat();
            double expected = 0;
            float[] l = logits.logSoftmax(-1).toFloatArray();
            for (int r = 0; r < 3; r++) {
                int a = y[rows[r]];
                int b = y[rows[mix.partner()[r]]];
                expected -= (mix.lambda() * l[r * 3 + a] + (1 - mix.lambda()) * l[r * 3 + b]) / 3;
            }
            assertEquals(expected, got0, 1e-5);
        }
    }
}
