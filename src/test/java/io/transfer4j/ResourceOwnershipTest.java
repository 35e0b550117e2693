package io.transfer4j;

import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.data.Split;
import io.transfer4j.vision.ImageInputs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.data.ImageShape;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run makes it frees: a tuned network's temporary files go when its model is closed (not
 * at JVM exit), and a run that fails part-way frees the model it had already trained.
 */
class ResourceOwnershipTest {
    @TempDir Path dir;

    static Set<Path> temp(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).collect(Collectors.toSet());
        }
    }

    static ImageDataset demo() {
        return ImageDatasetReader.defaults().read(Path.of("data/demo/fashion"), new ImageShape(1, 28, 28))
                .withClasses(List.of("bag", "boot"));
    }

    @Test
    void aTunedNetworksFilesGoWithItsModel() throws IOException {
        ImageDataset data = demo();
        Split<ImageDataset> s = data.split(0.2, 0.2, 1);
        ImageRunConfig cfg = ImageRunConfig.builder().seed(1).strategy(Strategy.of(Strategy.Kind.FULL)).epochs(1).scratch(false).build();
        Set<Path> before = temp("transfer4j-vision-");
        ImageBackbone fresh = ImageInputs.freshBackbone(cfg, "smallcnn", s.train());
        Path onnx;
        try (var run = Transfer.image(fresh, cfg).run(s)) {
            onnx = run.model().backbone().onnx();
            assertTrue(Files.isRegularFile(onnx), "the tuned graph exists while the model is open");
        }
        assertTrue(!Files.exists(onnx), "closing the run removed " + onnx);
        assertEquals(before, temp("transfer4j-vision-"));
    }

    @Test
    void aRunWhoseScratchBaselineFailsFreesTheTransferredModel() throws IOException {
        ImageDataset data = demo();
        Split<ImageDataset> s = data.split(0.2, 0.2, 1);
        ImageBackbone f = ImageInputs.freshBackbone(ImageRunConfig.defaults().withSeed(1), "smallcnn", s.train());
        // as if pre-trained, so that the run also trains a scratch baseline, of an architecture that does not exist
        ImageBackbone pretrained = new ImageBackbone("pre", f.onnx(), f.sha256(), f.input(), f.shape(), f.mean(), f.std(),
                f.features(), f.arch(), true);
        ImageRunConfig cfg = ImageRunConfig.builder().strategy(Strategy.of(Strategy.Kind.FULL)).epochs(1).scratchArch("no-such-net")
                .build();
        Set<Path> before = temp("transfer4j-vision-");
        assertThrows(UserException.class,
                () -> Transfer.image(pretrained, cfg).run(s));
        assertEquals(before, temp("transfer4j-vision-"), "the transferred model was closed and its files removed");
    }

    @Test
    void anInterruptedFineTuningRunLeavesNoTunedFiles() throws IOException {
        var split = TestData.smallSplit();
        Set<Path> before = temp("transfer4j-tuned-");
        var t = Transfer.text().strategy(Strategy.parse("bitfit"))
                .configure(c -> c.toBuilder().maxLength(32).tuning(c.tuning().toBuilder().epochs(1).batchSize(8).build()).build())
                .checkpoints(new Checkpoints(dir.resolve("ck"), 0, false, 2));
        assertThrows(Checkpoints.Interrupted.class, () -> t.run(split));
        assertEquals(before, temp("transfer4j-tuned-"));
    }
}
