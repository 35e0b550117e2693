package io.transfer4j.cli;

import io.transfer4j.bundle.Bundle;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.model.ImageModel;
import io.transfer4j.export.ClassifierGraph;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model bundle as one ONNX file that ONNX Runtime runs alone: for texts the encoder, pooling, "
                + "head and softmax on token ids (LoRA already merged); for images the pixel normalisation, network, head and "
                + "softmax on pixels in [0, 1]. Outputs logits and probabilities.")
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
        if (io.transfer4j.bundle.AudioBundle.isAudioBundle(model)) {
            throw new UserException(model + " is an audio bundle, which export does not write as one ONNX file yet (its log-mel "
                    + "front end normalises each clip by the clip's own maximum); serve it with predict and evaluate, or run its "
                    + "backbone/frontend.onnx and backbone/encoder.onnx as the manifest describes");
        }
        if (ImageBundle.isImageBundle(model)) {
            return exportImages();
        }
        try (ProbeClassifier c = Bundle.load(model)) {
            var fx = c.extractor();
            OnnxFile encoder = OnnxFile.read(fx.files().onnx());
            var graph = ClassifierGraph.text(encoder, fx.spec().pooling(), c.standardizer(),
                    ClassifierGraph.layers(c.head().getBlock()), c.labels().names(), fx.spec().prefix(), fx.maxLength());
            AtomicDirectory.writeFile(out, graph.toByteArray());
            System.out.printf(Locale.ROOT, "wrote %s (%.1f MB): inputs %s, outputs logits and probabilities over %s; "
                    + "texts are read as one window of %d tokens%s%n", out, out.toFile().length() / 1e6,
                    graph.getGraph().getInputList().stream().map(v -> v.getName()).toList(), c.labels().names(), fx.maxLength(),
                    fx.spec().prefix().isEmpty() ? "" : " after the prefix '" + fx.spec().prefix() + "'");
            System.out.println("check it: ./transfer4j onnx check " + out + " --tokenizer " + fx.files().tokenizer());
        }
        return 0;
    }

    private int exportImages() {
        try (ImageModel m = ImageBundle.load(model)) {
            var b = m.backbone();
            var graph = ClassifierGraph.image(OnnxFile.read(b.onnx()), b.mean(), b.std(), m.standardizer(), ClassifierGraph.layers(m.head().getBlock()), m.labels().names());
            AtomicDirectory.writeFile(out, graph.toByteArray());
            System.out.printf(Locale.ROOT, "wrote %s (%.1f MB): input pixels [N, %d, %d, %d] in [0, 1], outputs logits and "
                    + "probabilities over %s%n", out, out.toFile().length() / 1e6, b.shape().channels(), b.shape().height(),
                    b.shape().width(), m.labels().names());
            System.out.println("check it: ./transfer4j onnx check " + out);
        }
        return 0;
    }
}
