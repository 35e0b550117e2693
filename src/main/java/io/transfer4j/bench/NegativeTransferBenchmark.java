package io.transfer4j.bench;

import com.google.protobuf.ByteString;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.run.RunConfig;
import io.transfer4j.Transfer;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.data.TextDataset;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.eval.SeedComparison;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Does the negative-transfer guard catch transfer that hurts, and leave transfer that helps alone?
 * Three backbones of one architecture go through {@code train}'s guard (linear probe against the
 * scratch baseline over several seeds, 95% CI) on the same data:
 * <ul>
 *   <li>{@code pretrained}: the catalogue backbone as published;
 *   <li>{@code unrelated-source}: the same graph with every weight tensor's values randomly
 *       permuted, a network whose "pre-training" knows nothing of language;
 *   <li>{@code shuffled-labels}: the backbone fine-tuned on the same training texts with their
 *       labels shuffled, so it has learned to fit noise on exactly these inputs.
 * </ul>
 */
public final class NegativeTransferBenchmark {
    private NegativeTransferBenchmark() {}

    public record Case(String kind, String backbone, SeedComparison comparison) {}

    public static List<Case> run(TextDataset train, TextDataset test, String backbone, int seeds, int maxLength, long seed,
            Path work, Progress progress) {
        Pipeline<TextDataset, ProbeClassifier, RunConfig> base = Transfer.text().configure(c -> c.toBuilder().maxLength(maxLength).maxWindows(1).build())
                .seed(seed).progress(progress);
        List<Case> out = new ArrayList<>();
        out.add(guarded("pretrained", backbone, base, train, test, seeds));
        Path scrambled = scrambled(backbone, work.resolve("unrelated-source"), seed);
        out.add(guarded("unrelated-source", scrambled.toString(), base, train, test, seeds));
        Path shuffled = shuffledLabelBackbone(base.backbone(backbone), train, test, work.resolve("shuffled-labels"), seed);
        out.add(guarded("shuffled-labels", shuffled.toString(), base, train, test, seeds));
        return out;
    }

    private static Case guarded(String kind, String backbone, Pipeline<TextDataset, ProbeClassifier, RunConfig> base,
            TextDataset train, TextDataset test, int seeds) {
        try (var run = base.backbone(backbone).seeds(seeds).run(train, test)) {
            return new Case(kind, backbone, run.guard());
        }
    }

    /** The backbone's graph with each float weight tensor's values permuted (same values, no structure). */
    static Path scrambled(String backbone, Path dir, long seed) {
        BackboneFiles files = BackboneLocator.standard().locate(BackboneCatalogue.load().resolve(backbone));
        OnnxFile f = OnnxFile.read(files.onnx());
        GraphProto.Builder g = f.model().getGraph().toBuilder();
        Random rng = new Random(seed);
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE || t.getDimsCount() == 0) {
                continue;
            }
            FloatBuffer src = ByteBuffer.wrap(f.rawData(t)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] v = new float[src.remaining()];
            src.get(v);
            for (int k = v.length - 1; k > 0; k--) {
                int j = rng.nextInt(k + 1);
                float tmp = v[k];
                v[k] = v[j];
                v[j] = tmp;
            }
            ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(v);
            g.setInitializer(i, t.toBuilder().clearFloatData().clearExternalData().setDataLocation(TensorProto.DataLocation.DEFAULT)
                    .setRawData(ByteString.copyFrom(bytes.array())).build());
        }
        Path onnx = dir.resolve("model.onnx");
        AtomicDirectory.writeFile(onnx, f.model().toBuilder().setGraph(g).build().toByteArray());
        copy(files.tokenizer(), dir.resolve("tokenizer.json"));
        return onnx;
    }

    /** Fully fine-tunes the backbone on the training texts with shuffled labels and keeps its encoder. */
    static Path shuffledLabelBackbone(Pipeline<TextDataset, ProbeClassifier, RunConfig> t, TextDataset train, TextDataset test,
            Path dir, long seed) {
        List<String> labels = new ArrayList<>(train.labels());
        Collections.shuffle(labels, new Random(seed));
        TextDataset noise = new TextDataset(train.source() + "#shuffled-labels", train.texts(), labels);
        try (var r = t.strategy(Strategy.parse("full")).seeds(1).run(noise, test)) {
            Path tuned = r.tuning().tunedBackbone();
            copy(tuned.resolve("model.onnx"), dir.resolve("model.onnx"));
            copy(tuned.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        }
        return dir.resolve("model.onnx");
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
