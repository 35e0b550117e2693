package io.transfer4j.selfsup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.TestData;
import io.transfer4j.Transfer;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.backbone.ImageEncoder;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.train.EpochLog;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import io.transfer4j.vision.ImageInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SimCLR on real unlabelled images (Debian's Fashion-MNIST, its labels dropped): the loop learns to
 * tell each image's two views from the other images' (far above chance, better each epoch), and the
 * result is a backbone bundle that transfer reads but predict refuses. Whether its features beat a
 * random initialisation at 10 and 100 labels per class is measured by `curve` on the full training
 * set (README), not asserted on this small run.
 */
class SimclrTest {
    @TempDir Path dir;

    @Test
    void contrastivePretrainingLearnsToMatchViewsAndSavesABackbone() {
        Path f = TestData.fashion();
        assertTrue(f != null, "Fashion-MNIST is not installed: run the tests with scripts/test.sh, which installs dataset-fashion-mnist");
        ImageRunConfig config = ImageRunConfig.builder().backbone("smallcnn").seed(7).build();
        ImageDataset all = ImageDatasetReader.defaults().unlabelled(List.of(f.resolve("train-images-idx3-ubyte.gz")), null);
        ImageDataset images = all.subset(java.util.stream.IntStream.range(0, 2000).toArray(), "#first-2000");
        assertTrue(images.labels().stream().allMatch(String::isEmpty), "read without labels");
        ImageBackbone fresh = ImageInputs.freshBackbone(config, "smallcnn", images);
        ContrastiveConfig cc = ContrastiveConfig.builder().epochs(3).batchSize(128).build();
        var pre = Pretraining.of(Transfer.image(fresh, config)).config(cc);
        Path out = dir.resolve("simclr");
        try (var run = pre.run(images)) {
            assertEquals(200, run.validationRows(), "a tenth held out");
            assertEquals(1800, run.trainRows());
            List<EpochLog> h = run.history();
            assertEquals(3, h.size());
            // chance: the twin is one of 2 x 128 - 1 = 255 other views
            assertTrue(run.validationAccuracy() > 20.0 / 255, "views matched " + run.validationAccuracy() + " (chance 0.004)");
            assertTrue(h.get(2).validationLoss() < h.get(0).validationLoss() && h.get(2).trainLoss() < h.get(0).trainLoss(),
                    "NT-Xent falls as training goes on: " + h);
            assertTrue(run.tuning().trainableParameters() > 0 && run.tuning().input().contains("NT-Xent"), run.tuning().toString());
            pre.save(run, out, null);
        }
        assertTrue(Files.isRegularFile(out.resolve(Pretraining.SUMMARY)));
        ImageBackbone b = ImageBundle.backbone(out);
        assertTrue(b.id().startsWith("smallcnn-simclr-") && b.pretrained(), b.id());
        assertEquals(fresh.features(), b.features(), "the projection head is dropped: the backbone's own features remain");
        try (ImageEncoder enc = ImageEncoder.open(b)) {
            float[][] feats = enc.features(images.subset(new int[] {0, 1, 2}, "#3"), Progress.SILENT);
            assertEquals(3, feats.length);
            assertEquals(b.features(), feats[0].length);
        }
        UserException e = assertThrows(UserException.class, () -> ImageBundle.load(out));
        assertTrue(e.getMessage().contains("no classifier") && e.getMessage().contains("train --backbone"), e.getMessage());
    }

    @Test
    void refusesViewsThatCannotWork() {
        assertThrows(UserException.class, () -> ContrastiveConfig.builder().views(io.transfer4j.data.Augmentation.NONE).build());
        assertThrows(UserException.class, () -> ContrastiveConfig.builder()
                .views(io.transfer4j.data.Augmentation.parse("crop,mixup")).build());
    }
}
