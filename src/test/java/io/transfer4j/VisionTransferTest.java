package io.transfer4j;

import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.data.Split;
import io.transfer4j.vision.ImageInputs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.model.ImageModel;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfer on real images: a small CNN pre-trained on Fashion-MNIST classes 0-4 learns classes 5-9
 * from 10 labels per class by partial fine-tuning (block1 and block2 frozen), and the saved
 * bundle reproduces the run's accuracy. Transfer against a network trained from scratch, over
 * seeds and budgets, is measured by `curve` (scripts/vision-evidence.sh), not asserted here: at 10
 * labels per class it varies too much by seed for a test. The data is Debian's
 * dataset-fashion-mnist, which scripts/test.sh installs.
 */
class VisionTransferTest {
    @TempDir Path dir;

    @Test
    void aPretrainedNetworkLearnsNewClassesFromTenLabelsEach() {
        Path f = TestData.fashion();
        assertTrue(f != null, "Fashion-MNIST is not installed: run the tests with scripts/test.sh, which installs dataset-fashion-mnist");
        ImageDatasetReader reader = ImageDatasetReader.defaults();
        ImageDataset train = reader.read(f.resolve("train-images-idx3-ubyte.gz"), null);
        ImageDataset test = reader.read(f.resolve("t10k-images-idx3-ubyte.gz"), null);
        List<String> source = List.of("0", "1", "2", "3", "4");
        List<String> target = List.of("5", "6", "7", "8", "9");

        // pre-train: 500 images per source class, 3 epochs
        ImageDataset src = train.withClasses(source).perClass(500, 1);
        ImageRunConfig pre = ImageRunConfig.builder().backbone("smallcnn").strategy(Strategy.of(Strategy.Kind.FULL))
                .epochs(3).scratch(false).seed(1).build();
        Split<ImageDataset> ps = src.split(0.15, 0, 1);
        ImageBackbone fresh = ImageInputs.freshBackbone(pre, "smallcnn", ps.train());
        Path bundle = dir.resolve("pre");
        try (var run = Transfer.image(fresh, pre).run(new Split<>(ps.train(), ps.validation(), test.withClasses(source).perClass(100, 1)))) {
            assertTrue(run.transfer().test().accuracy() > 0.75, "pre-training learns the source task: " + run.transfer().test().accuracy());
            ImageBundle.save(run, bundle, null);
        }

        // transfer: 10 labels per target class (8 train, 2 validate), 1,000 held-out target images
        ImageBackbone backbone = ImageBundle.backbone(bundle);
        ImageDataset few = train.withClasses(target).perClass(10, 2);
        Split<ImageDataset> split = few.split(0.2, 0, 2);
        ImageDataset held = test.withClasses(target).perClass(200, 2);
        ImageRunConfig cfg = ImageRunConfig.builder().seed(2).scratch(false)
                .strategy(Strategy.of(Strategy.Kind.PARTIAL).withFreeze(2, "")).build();
        try (var run = Transfer.image(backbone, cfg).run(new Split<>(split.train(), split.validation(), held))) {
            double acc = run.transfer().test().accuracy();
            assertTrue(acc > 0.65, "10 labels per class after pre-training: " + acc + " (chance 0.2)");
            assertTrue(run.tuning().trainableParameters() < run.tuning().totalParameters(), "partial leaves block1 and block2 frozen");
            Path out = dir.resolve("tuned");
            ImageBundle.save(run, out, null);
            try (ImageModel m = ImageBundle.load(out)) {
                float[][] p = m.probabilities(held, Progress.SILENT);
                int correct = 0;
                int[] y = held.labelIndices(m.labels());
                for (int i = 0; i < p.length; i++) {
                    correct += io.transfer4j.train.Inference.argMax(p[i]) == y[i] ? 1 : 0;
                }
                assertEquals(acc, (double) correct / p.length, 1e-9, "the bundle predicts what the run measured");
            }
        }
    }
}
