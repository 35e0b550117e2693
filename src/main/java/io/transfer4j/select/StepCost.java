package io.transfer4j.select;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.onnx.GraphEdits;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.train.EncoderClassifier;
import io.transfer4j.train.EncoderRows;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.train.StepTimer;
import io.transfer4j.train.TrainingLoop;
import io.transfer4j.util.Json;
import io.transfer4j.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a fine-tuning step costs here: times full fine-tuning steps (forward, backward, clipping,
 * AdamW) of an imported encoder with a linear head through the training loop itself, on fixed
 * random token ids. {@code Advisor} measures a candidate's cost with it before recommending a
 * strategy; {@code bench train-step} reports it against PyTorch. Optionally dumps the
 * starting weights, head and ids so that a reference implementation (scripts/torch_train_step.py)
 * can run the same step on the same numbers.
 */
public final class StepCost {
    private StepCost() {}

    /** Median milliseconds per step (the first steps are warm-up), throughput, and the JVM's peak RSS. */
    public record Result(int batch, int seq, int steps, double medianStepMs, double examplesPerSecond, long peakRssKb,
            double initialLoss, long parameters, String precision, List<Double> stepMillis, List<Double> losses) {}

    public static Result run(BackboneFiles files, int width, int batch, int seq, int steps, int warmup, Path dump) {
        return run(files, width, batch, seq, steps, warmup, dump, io.transfer4j.onnx.Precision.FP32);
    }

    /** As {@link #run(BackboneFiles, int, int, int, int, int, Path)} with the encoder's dense products in {@code precision}. */
    public static Result run(BackboneFiles files, int width, int batch, int seq, int steps, int warmup, Path dump,
            io.transfer4j.onnx.Precision precision) {
        if (warmup < 1 || steps < 1) {
            throw new io.transfer4j.util.UserException("need at least 1 warm-up and 1 timed step");
        }
        Random rng = new Random(17);
        int rows = (steps + warmup) * batch;
        long[][] ids = new long[rows][seq];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            ids[r][0] = 101;
            for (int t = 1; t < seq - 1; t++) {
                ids[r][t] = 1000 + rng.nextInt(20000);
            }
            ids[r][seq - 1] = 102;
            y[r] = rng.nextInt(2);
        }
        try (Model model = Model.newInstance("train-step", Device.cpu(), "PyTorch")) {
            OnnxFile source = OnnxFile.read(files.onnx());
            OnnxBlock encoder = OnnxBlock.load(GraphEdits.cutAt(source, List.of(source.model().getGraph().getOutput(0).getName())),
                    model.getNDManager());
            io.transfer4j.onnx.Precision used = encoder.setPrecision(precision);
            EncoderClassifier net = new EncoderClassifier(encoder, width, 2);
            model.setBlock(net);
            EncoderRows data = new EncoderRows(ids, encoder.inputNames());
            // no shuffling effect on timing; one epoch over warm-up + timed steps, validation on one batch
            TrainConfig cfg = new TrainConfig(1, batch, 5e-5f, 0, 1, 17,
                    Optimization.FINE_TUNING.toBuilder().schedule(Optimization.Schedule.CONSTANT, 0).build());
            io.transfer4j.train.Seeds.beforeInit(17); // the same head in every run, and in the dump
            net.initialize(model.getNDManager(), DataType.FLOAT32, data.shapes(batch));
            if (dump != null) {
                dump(dump, encoder, net, ids, y);
            }
            // the loss before any update on rows 0..batch-1 (the reference's first batch): same weights, same number
            double initialLoss = io.transfer4j.train.Inference.lossAndAccuracy(model,
                    new EncoderRows(Arrays.copyOf(ids, batch), encoder.inputNames()), Arrays.copyOf(y, batch), batch)[0];
            long params = net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            StepTimer timer = new StepTimer();
            try (Progress.Task none = Progress.SILENT.start("bench", 0, "batches")) {
                TrainingLoop.fit(model, data, y, new EncoderRows(Arrays.copyOf(ids, batch), encoder.inputNames()), Arrays.copyOf(y, batch),
                        cfg, new TrainingLoop.Tuning(net.table(), Strategy.of(Strategy.Kind.FULL), io.transfer4j.train.Checkpoints.NONE,
                                List.of(timer)), "bench", none);
            }
            double median = timer.medianMillis(warmup, steps);
            return new Result(batch, seq, steps, median, batch * 1000.0 / median, peakRssKb(),
                    initialLoss, params, used.label(), timer.millis(warmup, steps), timer.losses());
        }
    }

    private static void dump(Path dir, OnnxBlock encoder, EncoderClassifier net, long[][] ids, int[] y) {
        try {
            Files.createDirectories(dir);
            Map<String, String> consumer = new HashMap<>();
            for (NodeProto n : encoder.source().model().getGraph().getNodeList()) {
                n.getInputList().forEach(i -> consumer.putIfAbsent(i, n.getName()));
            }
            List<Map<String, Object>> index = new ArrayList<>();
            int k = 0;
            Map<String, NDArray> weights = new LinkedHashMap<>(encoder.weightValues());
            List<Parameter> head = new ArrayList<>(net.head().getParameters().values());
            weights.put("head.weight", head.get(0).getArray());
            weights.put("head.bias", head.get(1).getArray());
            for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                String file = "w" + (k++) + ".bin";
                write(dir.resolve(file), e.getValue().toFloatArray());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", e.getKey());
                m.put("shape", e.getValue().getShape().getShape());
                m.put("consumer", consumer.getOrDefault(e.getKey(), ""));
                m.put("file", file);
                index.add(m);
            }
            Files.write(dir.resolve("index.json"), Json.bytes(index));
            ByteBuffer b = ByteBuffer.allocate(8 * ids.length * ids[0].length).order(ByteOrder.LITTLE_ENDIAN);
            for (long[] row : ids) {
                for (long v : row) {
                    b.putLong(v);
                }
            }
            Files.write(dir.resolve("ids.bin"), b.array());
            ByteBuffer l = ByteBuffer.allocate(8 * y.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : y) {
                l.putLong(v);
            }
            Files.write(dir.resolve("labels.bin"), l.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(p, b.array());
    }

    public static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
