package io.transfer4j.cli;

import ai.djl.nn.Parameter;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.export.ClassifierGraph;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model bundle as one ONNX file (encoder, pooling, head, softmax; LoRA already merged) that "
                + "ONNX Runtime runs on token ids: inputs as the encoder's, outputs logits and probabilities.")
public final class ExportCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = {"-m", "--model"}, required = true, description = "A bundle written by train or quickstart.")
    Path model;

    @Option(names = "--format", defaultValue = "onnx", description = "onnx (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, description = "The .onnx file to write (replaced atomically).")
    Path out;

    @Override
    public Integer call() {
        if (!format.equalsIgnoreCase("onnx")) {
            throw new UserException("unknown export format '" + format + "'; only onnx is supported");
        }
        try (ProbeClassifier c = Bundle.load(model)) {
            List<Parameter> ps = new ArrayList<>(c.head().getBlock().getParameters().values());
            List<ClassifierGraph.Dense> layers = new ArrayList<>();
            for (int i = 0; i + 1 < ps.size(); i += 2) {
                float[] w = ps.get(i).getArray().toFloatArray();
                float[] b = ps.get(i + 1).getArray().toFloatArray();
                int outs = b.length;
                int ins = w.length / outs;
                float[][] m = new float[outs][];
                for (int o = 0; o < outs; o++) {
                    m[o] = java.util.Arrays.copyOfRange(w, o * ins, (o + 1) * ins);
                }
                layers.add(new ClassifierGraph.Dense(m, b));
            }
            var fx = c.extractor();
            OnnxFile encoder = OnnxFile.read(fx.files().onnx());
            var graph = ClassifierGraph.build(encoder, fx.spec().pooling(), c.standardizer().mean(), c.standardizer().scale(),
                    layers, c.labels().names(), fx.spec().prefix(), fx.maxLength());
            AtomicDirectory.writeFile(out, graph.toByteArray());
            System.out.printf(Locale.ROOT, "wrote %s (%.1f MB): inputs %s, outputs logits and probabilities over %s; "
                    + "texts are read as one window of %d tokens%s%n", out, out.toFile().length() / 1e6,
                    graph.getGraph().getInputList().stream().map(v -> v.getName()).toList(), c.labels().names(), fx.maxLength(),
                    fx.spec().prefix().isEmpty() ? "" : " after the prefix '" + fx.spec().prefix() + "'");
            System.out.println("check it: ./transfer4j onnx check " + out + " --tokenizer " + fx.files().tokenizer());
        }
        return 0;
    }
}
