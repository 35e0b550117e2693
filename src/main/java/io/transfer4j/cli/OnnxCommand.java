package io.transfer4j.cli;

import io.transfer4j.onnx.Inspection;
import io.transfer4j.onnx.OnnxChecker;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.onnx.OnnxInspector;
import io.transfer4j.onnx.Ops;
import io.transfer4j.report.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "onnx", mixinStandardHelpOptions = true, subcommands = {OnnxCommand.Inspect.class, OnnxCommand.Check.class, OnnxCommand.Export.class, OnnxCommand.ImportTf.class},
        description = "Look inside an ONNX model, and check transfer4j's trainable import of it against ONNX Runtime.")
public final class OnnxCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Inputs, outputs, op histogram, parameters by group, and the ops transfer4j cannot execute yet.")
    static final class Inspect implements Callable<Integer> {
        @picocli.CommandLine.Mixin CommonOptions common;

        @Parameters(paramLabel = "MODEL.onnx")
        Path model;

        @Override
        public Integer call() {
            Inspection i = OnnxInspector.inspect(OnnxFile.read(model), Ops.supported());
            System.out.printf(Locale.ROOT, "%s: IR %d, opset %d, producer %s%n", i.file(), i.irVersion(), i.opset(), i.producer());
            i.inputs().forEach(s -> System.out.println("  input   " + s));
            i.outputs().forEach(s -> System.out.println("  output  " + s));
            System.out.printf(Locale.ROOT, "%d initializers: %,d float parameters, %,d other constant values%n%n",
                    i.initializers(), i.floatParameters(), i.otherConstants());
            Table ops = new Table("op", "nodes", "supported");
            i.opHistogram().forEach((op, n) -> ops.row(op, n, i.unsupported().containsKey(op) ? "NO" : "yes"));
            System.out.print(ops);
            System.out.println();
            Table g = new Table("parameter group", "float parameters");
            i.groups().forEach((k, v) -> g.row(k, String.format(Locale.ROOT, "%,d", v)));
            System.out.print(g);
            if (!i.unsupported().isEmpty()) {
                System.out.println();
                i.unsupported().forEach((op, nodes) -> System.out.println("unsupported " + op + ": " + nodes.size()
                        + " node(s), e.g. " + String.join(", ", nodes.subList(0, Math.min(3, nodes.size())))));
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Run the model through transfer4j and through ONNX Runtime on the same inputs; print the max "
                    + "absolute difference per output; exit 1 over the tolerance.")
    static final class Check implements Callable<Integer> {
        @picocli.CommandLine.Mixin CommonOptions common;

        @Parameters(paramLabel = "MODEL.onnx")
        Path model;

        @Option(names = "--tokenizer", description = "tokenizer.json: feed real sentences instead of random inputs.")
        Path tokenizer;

        @Option(names = "--text", description = "Sentences to feed with --tokenizer (default: a few real review sentences).")
        List<String> texts = List.of("A moving, beautifully acted film that stays with you.",
                "Dull and far too long; I checked my watch twice.", "The plot is thin but the music is great.");

        @Option(names = "--image", description = "Feed this image (PNG/JPEG) instead, resized to --height x --width.")
        Path image;

        @Option(names = "--height", defaultValue = "224", description = "Image height (default: ${DEFAULT-VALUE}).")
        int height;

        @Option(names = "--width", defaultValue = "224", description = "Image width (default: ${DEFAULT-VALUE}).")
        int width;

        @Option(names = "--normalize", defaultValue = "imagenet",
                description = "imagenet (torchvision mean/std) or half ((x - 0.5) / 0.5, PaddleOCR) (default: ${DEFAULT-VALUE}).")
        String normalize;

        @Option(names = "--tolerance", defaultValue = "1e-4", description = "Largest accepted difference: absolute for outputs "
                + "within [-1, 1], relative to the output's largest value beyond (default: ${DEFAULT-VALUE}).")
        double tolerance;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of random inputs (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--batch", defaultValue = "2", description = "Size of a symbolic first dimension of random inputs (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--dim", defaultValue = "16", description = "Size of the other symbolic dimensions of random inputs (default: ${DEFAULT-VALUE}).")
        int dim;

        @Override
        public Integer call() {
            OnnxFile f = OnnxFile.read(model);
            boolean imagenet = !normalize.equals("half");
            List<OnnxChecker.Feed> feeds = tokenizer != null ? OnnxChecker.textFeeds(f, tokenizer, texts, 128)
                    : image != null ? OnnxChecker.imageFeeds(f, image, height, width,
                            imagenet ? new float[] {0.485f, 0.456f, 0.406f} : new float[] {0.5f, 0.5f, 0.5f},
                            imagenet ? new float[] {0.229f, 0.224f, 0.225f} : new float[] {0.5f, 0.5f, 0.5f})
                    : OnnxChecker.randomFeeds(f, batch, dim, seed);
            OnnxChecker.Result r = OnnxChecker.check(f, feeds);
            Table t = new Table("output", "shape", "max |transfer4j - ORT|", "max |ORT|", "relative");
            r.outputs().forEach(o -> t.row(o.name(), java.util.Arrays.toString(o.shape()),
                    String.format(Locale.ROOT, "%.3g", o.maxAbsDiff()), String.format(Locale.ROOT, "%.3g", o.maxAbsReference()),
                    String.format(Locale.ROOT, "%.3g", o.relative())));
            System.out.printf(Locale.ROOT, "%s on %s inputs%n%n", model, tokenizer != null ? "tokenized text" : image != null ? "image " + image : "seeded random");
            System.out.print(t);
            boolean ok = r.worst() <= tolerance;
            System.out.printf(Locale.ROOT, "%n%s: worst %.3g %s tolerance %.3g%n", ok ? "OK" : "MISMATCH", r.worst(),
                    ok ? "<=" : ">", tolerance);
            return ok ? 0 : 1;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Import a model as transfer4j trains it (quantised weights dequantised to float) and write it back "
                    + "as one self-contained ONNX file that ONNX Runtime runs.")
    static final class Export implements Callable<Integer> {
        @picocli.CommandLine.Mixin CommonOptions common;

        @Parameters(paramLabel = "MODEL.onnx")
        Path model;

        @Option(names = {"-o", "--out"}, required = true, description = "The ONNX file to write.")
        Path out;

        @Override
        public Integer call() {
            try (ai.djl.Model m = ai.djl.Model.newInstance("export", ai.djl.Device.cpu(), "PyTorch")) {
                io.transfer4j.onnx.OnnxBlock block = io.transfer4j.onnx.OnnxBlock.load(OnnxFile.read(model), m.getNDManager());
                io.transfer4j.onnx.OnnxExporter.export(block, out);
                System.out.println("wrote " + out + " (" + block.weightValues().size() + " float parameter tensors)");
            }
            return 0;
        }
    }

    @Command(name = "import-tf", mixinStandardHelpOptions = true,
            description = "Import a TensorFlow SavedModel folder (saved_model.pb and variables/; e.g. a BERT-family encoder) as an "
                    + "ONNX graph transfer4j trains and ONNX Runtime runs: writes OUT/model.onnx, and OUT/tokenizer.json when the "
                    + "model carries a WordPiece assets/vocab.txt, so that --backbone OUT/model.onnx works. Only the signature's "
                    + "sub-graph is imported; nothing in the model is executed.")
    static final class ImportTf implements Callable<Integer> {
        @picocli.CommandLine.Mixin CommonOptions common;

        @Parameters(paramLabel = "SAVED_MODEL_DIR")
        Path savedModel;

        @Option(names = {"-o", "--out"}, required = true, description = "The folder to write.")
        Path out;

        @Option(names = "--signature", description = "The serving signature to import (default: serving_default).")
        String signature;

        @picocli.CommandLine.ArgGroup(exclusive = true)
        Casing casing;

        static final class Casing {
            @Option(names = "--lower-case", description = "The vocabulary is lower-cased (uncased BERT): lower-case and strip accents.")
            boolean lower;

            @Option(names = "--cased", description = "The vocabulary keeps case and accents (cased and multilingual BERT).")
            boolean cased;
        }

        @Override
        public Integer call() {
            Boolean lower = casing == null ? null : casing.lower;
            io.transfer4j.backbone.SavedModels.importFolder(savedModel, signature, lower, out);
            java.nio.file.Path tok = out.resolve("tokenizer.json");
            System.out.println("wrote " + out.resolve("model.onnx") + (java.nio.file.Files.isRegularFile(tok) ? " and " + tok : "")
                    + "; use it with --backbone " + out.resolve("model.onnx"));
            return 0;
        }
    }
}
