package io.transfer4j.bench;

import io.transfer4j.select.StepCost;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.backbone.ImageBackbones;
import io.transfer4j.data.Augmentation;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageShape;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.train.FeatureClassifier;
import io.transfer4j.train.ImageRows;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.train.StepTimer;
import io.transfer4j.train.TrainingLoop;
import io.transfer4j.util.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Times training steps (forward, backward, clipping, AdamW; BatchNorm in training mode) of a
 * built-in CNN with a 10-class head through the training loop itself, on random images, so that
 * scripts/torch_vision_step.py can time the same network and step in PyTorch.
 */
public final class VisionStepBenchmark {
    private VisionStepBenchmark() {}

    public record Result(String arch, int size, int batch, int steps, double medianStepMs, double imagesPerSecond,
            long parameters, long peakRssKb, String precision) {}

    public static Result run(String arch, int channels, int size, int batch, int steps, int warmup,
            io.transfer4j.onnx.Precision precision) {
        if (warmup < 1 || steps < 1) {
            throw new io.transfer4j.util.UserException("need at least 1 warm-up and 1 timed step");
        }
        ImageShape shape = new ImageShape(channels, size, size);
        float[] half = new float[channels];
        Arrays.fill(half, 0.5f);
        ImageBackbone b = ImageBackbones.builtIn(arch, shape, 17, half, half);
        int rows = (steps + warmup) * batch;
        Random rng = new Random(17);
        byte[][] px = new byte[rows][shape.values()];
        List<String> labels = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            rng.nextBytes(px[r]);
            labels.add(Integer.toString(r % 10));
        }
        ImageDataset data = new ImageDataset("random", px, channels, size, size, labels, Collections.nCopies(rows, "random"));
        int[] y = data.labelIndices(data.labelMap());
        try (Model model = Model.newInstance("vision-step", Device.cpu(), "PyTorch")) {
            OnnxBlock body = OnnxBlock.load(OnnxFile.read(b.onnx()), model.getNDManager());
            io.transfer4j.onnx.Precision used = body.setPrecision(precision);
            FeatureClassifier net = new FeatureClassifier(body, b.features(), 10);
            model.setBlock(net);
            ImageRows x = new ImageRows(data, half, half, Augmentation.NONE, 17);
            net.initialize(model.getNDManager(), DataType.FLOAT32, x.shapes(batch));
            long params = net.table().entries().stream().filter(t -> !t.isState()).mapToLong(t -> t.parameter().getArray().size()).sum();
            TrainConfig cfg = new TrainConfig(1, batch, 1e-3f, 0, 1, 17,
                    Optimization.FINE_TUNING.toBuilder().schedule(Optimization.Schedule.CONSTANT, 0).build());
            StepTimer timer = new StepTimer();
            int[] valIdx = java.util.stream.IntStream.range(0, batch).toArray();
            try (Progress.Task none = Progress.SILENT.start("bench", 0, "batches")) {
                TrainingLoop.fit(model, x, y, new ImageRows(data.subset(valIdx, "#val"), half, half, Augmentation.NONE, 0),
                        Arrays.copyOf(y, batch), cfg, new TrainingLoop.Tuning(net.table(), Strategy.of(Strategy.Kind.FULL),
                                Checkpoints.NONE, List.of(timer)), "bench", none);
            }
            double median = timer.medianMillis(warmup, steps);
            return new Result(arch, size, batch, steps, median, batch * 1000.0 / median, params, StepCost.peakRssKb(), used.label());
        }
    }
}
