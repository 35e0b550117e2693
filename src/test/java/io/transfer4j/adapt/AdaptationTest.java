package io.transfer4j.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.Transfer;
import io.transfer4j.TestData;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.bench.ShiftedImages;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.data.ImageShape;
import io.transfer4j.data.Sampling;
import io.transfer4j.data.TextDataset;
import io.transfer4j.model.ImageModel;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.run.RunConfig;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import io.transfer4j.vision.ImageInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Domain adaptation end to end on real data: Fashion-MNIST to its appearance-shifted test images
 * (inverted, blurred, noisy; labels never read for adaptation), and texts through the same job.
 */
class AdaptationTest {
    @TempDir Path dir;

    @Test
    void coralBeatsSourceOnlyOnShiftedFashionImagesAndItsBundlePredictsAsMeasured() {
        Path f = TestData.fashion();
        assertTrue(f != null, "Fashion-MNIST is not installed: run the tests with scripts/test.sh, which installs dataset-fashion-mnist");
        ImageDatasetReader reader = ImageDatasetReader.defaults();
        ImageDataset source = reader.read(f.resolve("train-images-idx3-ubyte.gz"), null).perClass(120, 1);
        ImageDataset clean = reader.read(f.resolve("t10k-images-idx3-ubyte.gz"), null).perClass(60, 2);
        Path shifted = dir.resolve("target");
        ShiftedImages.write(clean, ShiftedImages.Kind.APPEARANCE, null, shifted, 3, Progress.SILENT);
        ImageShape shape = new ImageShape(1, 28, 28);
        ImageDataset target = reader.unlabelled(List.of(shifted), shape);
        ImageDataset targetTest = reader.read(shifted, shape);
        assertTrue(target.labels().stream().allMatch(String::isEmpty), "the adaptation rows carry no labels");

        ImageRunConfig cfg = ImageRunConfig.builder().backbone("smallcnn").strategy(Strategy.of(Strategy.Kind.FULL)).epochs(3).seed(1)
                .build();
        ImageBackbone fresh = ImageInputs.freshBackbone(cfg, "smallcnn", source);
        var adaptation = Adaptation.of(Transfer.image(fresh, cfg)).configure(b -> b.method(Method.CORAL).seeds(2));
        try (var run = adaptation.run(source, target, targetTest)) {
            assertTrue(run.shift().proxyADistance() > 1, "inverted, blurred images are far from the source: " + run.shift().describe());
            AdaptRun.Summary so = run.methods().get(0);
            AdaptRun.Summary coral = run.methods().get(1);
            assertEquals("source-only", so.method());
            assertEquals("coral", run.chosen());
            assertEquals(4, run.trials().size(), "two methods on two seeds");
            assertTrue(coral.targetAccuracy() > so.targetAccuracy() + 0.05, "coral " + coral.targetAccuracy() + " vs source-only "
                    + so.targetAccuracy());
            assertTrue(coral.gain() != null && coral.gain().seeds().size() == 2);
            assertTrue(run.trials().stream().allMatch(t -> Double.isFinite(t.labelFree().bound()) && Double.isFinite(t.labelFree().dev().risk())));

            Path out = dir.resolve("adapted");
            adaptation.save(run, out, null);
            assertTrue(Files.isRegularFile(out.resolve(Adaptation.ADAPT_JSON)));
            try (ImageModel m = ImageBundle.load(out)) {
                double acc = m.evaluate(targetTest, Progress.SILENT).accuracy();
                assertEquals(run.run().transfer().test().accuracy(), acc, 1e-9, "the bundle predicts the target as the run measured");
            }
        }
    }

    @Test
    void textsAdaptThroughABottleneckThatSavesAsAnMlpHead() {
        List<TextDataset> parts = Sampling.disjoint(TestData.demo(), 5, 400, 200);
        TextDataset source = parts.get(0);
        TextDataset targetTest = parts.get(1);
        TextDataset target = new TextDataset(targetTest.source(), targetTest.texts(), java.util.Collections.nCopies(targetTest.size(), ""),
                null);
        var adaptation = Adaptation.of(Transfer.text(RunConfig.builder().seed(3).build())).configure(b -> b.method(Method.DANN).seeds(1));
        try (var run = adaptation.run(source, target, targetTest)) {
            assertEquals(List.of("source-only", "dann"), run.methods().stream().map(AdaptRun.Summary::method).toList());
            assertTrue(run.run().transfer().test().accuracy() > 0.7, "a frozen encoder's features still classify the reviews");
            Path out = dir.resolve("text");
            adaptation.save(run, out, null);
            try (ProbeClassifier m = Bundle.load(out)) {
                assertEquals(io.transfer4j.train.HeadType.MLP, m.headType());
                float[][] saved = m.probabilities(targetTest, Progress.SILENT);
                float[][] trained = run.run().model().probabilities(targetTest, Progress.SILENT);
                for (int i = 0; i < saved.length; i++) {
                    for (int j = 0; j < saved[i].length; j++) {
                        assertEquals(trained[i][j], saved[i][j], 1e-5, "the saved MLP head is the trained bottleneck and head");
                    }
                }
            }
        }
        UserException e = assertThrows(UserException.class, () -> Adaptation.of(Transfer.text(RunConfig.builder().build()))
                .method(Method.ADABN).run(source, target, null));
        assertTrue(e.getMessage().contains("no") && e.getMessage().contains("BatchNorm"), e.getMessage());
    }
}
