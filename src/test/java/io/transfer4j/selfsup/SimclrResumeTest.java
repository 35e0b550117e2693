package io.transfer4j.selfsup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.TestData;
import io.transfer4j.Transfer;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.util.Progress;
import io.transfer4j.vision.ImageInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SimCLR killed and resumed on real images (Fashion-MNIST): bit for bit the run that was never
 * stopped. Runs in the surefire execution with one OpenMP thread (pom.xml), like the loop's ResumeTest.
 */
class SimclrResumeTest {
    @TempDir Path dir;

    /** A long pre-training run killed part-way and resumed from its checkpoint ends where an uninterrupted one does. */
    @Test
    void killedAndResumedEqualsUninterrupted() {
        Path f = TestData.fashion();
        assertTrue(f != null, "Fashion-MNIST is not installed: run the tests with scripts/test.sh, which installs dataset-fashion-mnist");
        ImageRunConfig config = ImageRunConfig.builder().backbone("smallcnn").seed(3).build();
        ImageDataset all = ImageDatasetReader.defaults().unlabelled(List.of(f.resolve("t10k-images-idx3-ubyte.gz")), null);
        ImageDataset images = all.subset(java.util.stream.IntStream.range(0, 300).toArray(), "#first-300");
        ImageBackbone fresh = ImageInputs.freshBackbone(config, "smallcnn", images);
        ContrastiveConfig cc = ContrastiveConfig.builder().epochs(2).batchSize(64).build();
        Path ck = dir.resolve("ck");
        // 270 training images in batches of 64: 5 updates an epoch; killed in the second epoch, after the step-6 checkpoint
        assertThrows(Checkpoints.Interrupted.class, () -> pretrain(fresh, config, images, cc, new Checkpoints(ck, 2, false, 7), "killed",
                new java.util.ArrayList<>()));
        assertTrue(!Files.exists(dir.resolve("killed")) && Files.isDirectory(ck), "no bundle from a killed run, a checkpoint");
        List<Long> steps = new java.util.ArrayList<>();
        Path resumed = pretrain(fresh, config, images, cc, new Checkpoints(ck, 2, true, 0), "resumed", steps);
        assertEquals(6L, steps.get(0), "the resumed run starts after the 6 updates checkpointed, not from the start: " + steps);
        Path straight = pretrain(fresh, config, images, cc, Checkpoints.NONE, "straight", new java.util.ArrayList<>());
        assertEquals(record(straight).path("history"), record(resumed).path("history"), "the same NT-Xent curve");
        assertEquals(ImageBundle.backbone(straight).sha256(), ImageBundle.backbone(resumed).sha256(), "the same weights");
    }

    /** Pre-trains and saves to {@code name}; {@code steps} gets the training bar's steps (a resumed run's first is what it skipped). */
    private Path pretrain(ImageBackbone fresh, ImageRunConfig config, ImageDataset images, ContrastiveConfig cc, Checkpoints ck,
            String name, List<Long> steps) {
        Progress counting = (task, total, unit) -> new Progress.Task() {
            @Override
            public void step(long n) {
                if (task.startsWith("pretrain simclr")) {
                    steps.add(n);
                }
            }

            @Override
            public void close() {}
        };
        var pre = Pretraining.of(Transfer.image(fresh, config).progress(counting).checkpoints(ck)).config(cc);
        Path out = dir.resolve(name);
        try (var run = pre.run(images)) {
            pre.save(run, out, null);
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode record(Path bundle) {
        try {
            return io.transfer4j.util.Json.MAPPER.readTree(bundle.resolve(Pretraining.SUMMARY).toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
