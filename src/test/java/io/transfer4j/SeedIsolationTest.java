package io.transfer4j;

import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.data.Split;
import io.transfer4j.vision.ImageInputs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.Progress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A seeded run gives the same model whatever ran before it in the JVM: the run of seed 42 is
 * repeated after runs of other seeds and strategies and must give the very same probabilities.
 * Runs with one OpenMP thread (pom: libtorch's multi-threaded reductions are not bit-reproducible).
 */
class SeedIsolationTest {
    static final List<String> CLASSES = List.of("sandal", "sneaker", "bag");

    record Outcome(float[][] probabilities, double accuracy) {}

    static Outcome run(ImageDataset data, long seed, Strategy strategy) {
        Split<ImageDataset> s = data.split(0.2, 0.3, seed);
        ImageRunConfig cfg = ImageRunConfig.builder().seed(seed).strategy(strategy).epochs(2).scratch(false)
                .augmentation(io.transfer4j.data.Augmentation.parse("standard,mixup=0.2")).build();
        ImageBackbone fresh = ImageInputs.freshBackbone(cfg, "smallcnn", s.train());
        try (var r = Transfer.image(fresh, cfg).run(s)) {
            return new Outcome(r.model().probabilities(s.test(), Progress.SILENT), r.transfer().test().accuracy());
        }
    }

    @Test
    void theSameSeedGivesTheSameModelAfterOtherRuns() {
        ImageDataset data = ImageDatasetReader.defaults().read(Path.of("data/demo/fashion"), new io.transfer4j.data.ImageShape(1, 28, 28)).withClasses(CLASSES);
        Strategy full = Strategy.of(Strategy.Kind.FULL);
        Outcome first = run(data, 42, full);
        run(data, 7, full);
        run(data, 8, Strategy.of(Strategy.Kind.LINEAR_PROBE));
        Outcome again = run(data, 42, full);
        assertEquals(first.accuracy(), again.accuracy());
        for (int i = 0; i < first.probabilities().length; i++) {
            assertArrayEquals(first.probabilities()[i], again.probabilities()[i], "image " + i);
        }
    }

    static float[] mlpWeights(long seed) {
        java.util.Random r = new java.util.Random(3);
        int n = 200;
        float[][] x = new float[n][6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int d = 0; d < 6; d++) {
                x[i][d] = (float) (r.nextGaussian() + (d < 3 == (y[i] == 0) ? 1 : 0));
            }
        }
        var tc = new io.transfer4j.train.TrainConfig(4, 16, 1e-2f, 0, 4, seed);
        var fit = new io.transfer4j.train.HeadFitter(Progress.SILENT).fit("mlp",
                () -> io.transfer4j.train.HeadType.MLP.build(2, 8), new io.transfer4j.train.DenseRows(x), y,
                new io.transfer4j.train.DenseRows(x), y, tc, new float[] {1e-3f, 1e-2f});
        try (ai.djl.Model m = fit.model()) {
            return m.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
        }
    }

    @Test
    void aHeadWithDropoutIsTheSameAfterOtherRuns() {
        float[] first = mlpWeights(5);
        mlpWeights(6);
        assertArrayEquals(first, mlpWeights(5));
    }
}
