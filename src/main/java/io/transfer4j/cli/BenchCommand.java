package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.run.TransferRun;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.bench.EmbeddingBenchmark;
import io.transfer4j.bench.ProbeParityBenchmark;
import io.transfer4j.data.Sampling;
import io.transfer4j.data.TextDataset;
import io.transfer4j.report.RunReport;
import io.transfer4j.report.Table;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Embed.class, BenchCommand.Probe.class, BenchCommand.ProbeParity.class, BenchCommand.Onnx.class, BenchCommand.FineTune.class, BenchCommand.TrainStep.class, BenchCommand.NegativeTransfer.class, BenchCommand.VisionStep.class, BenchCommand.Audio.class, BenchCommand.ShiftImages.class},
        description = "Benchmarks (not part of the tests): embedding throughput against bare ONNX Runtime; "
                + "linear-probe accuracy of every backbone against scratch.")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "Texts/s through transfer4j vs ONNX Runtime called directly on the same token ids, same process, median of repeats.")
    static final class Embed implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Mixin DataOptions data;

        @Option(names = {"-b", "--backbone"}, defaultValue = "minilm", description = "Backbone (default: ${DEFAULT-VALUE}).")
        String backbone;

        @Option(names = {"-d", "--data"}, description = "Texts to embed (default: the demo reviews).")
        Path dataPath;

        @Option(names = "--texts", defaultValue = "320", description = "How many texts (default: ${DEFAULT-VALUE}).")
        int texts;

        @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--max-length", defaultValue = "128", description = "Tokens per text (default: ${DEFAULT-VALUE}).")
        int maxLength;

        @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Override
        public Integer call() throws Exception {
            TextDataset d = data.unlabelled(dataPath != null ? dataPath : QuickstartCommand.demoData());
            List<String> sample = d.texts().subList(0, Math.min(texts, d.size()));
            BackboneSpec spec = BackboneCatalogue.load().resolve(backbone);
            BackboneFiles files = BackboneLocator.standard().locate(spec);
            try (TextEncoder enc = TextEncoder.open(spec, files, maxLength, batch)) {
                EmbeddingBenchmark.Result r = EmbeddingBenchmark.run(enc, sample, batch, repeats, common.progress());
                Table t = new Table("path", "texts/s (median)", "runs (s)");
                t.row("transfer4j encode (tokenize+ORT+pool)", String.format(Locale.ROOT, "%.1f", r.transfer4jTextsPerSec()), fmt(r.transfer4jSeconds()));
                t.row("ONNX Runtime direct, same token ids", String.format(Locale.ROOT, "%.1f", r.onnxRuntimeTextsPerSec()), fmt(r.onnxRuntimeSeconds()));
                System.out.printf(Locale.ROOT, "%s, %d texts (%d windows of up to %d tokens), batch %d, %d repeats%n%n", spec.id(),
                        r.texts(), r.windows(), maxLength, r.batchSize(), r.repeats());
                System.out.print(t);
                System.out.printf(Locale.ROOT, "%noverhead of transfer4j over bare ONNX Runtime: %+.1f%%%n", 100 * r.overhead());
            }
            return 0;
        }

        private static String fmt(double[] v) {
            List<String> s = new ArrayList<>();
            for (double x : v) {
                s.add(String.format(Locale.ROOT, "%.2f", x));
            }
            return String.join(" ", s);
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Linear-probe accuracy of each backbone and of the scratch baseline on fixed disjoint train/test samples.")
    static final class Probe implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Mixin DataOptions data;

        @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts, e.g. the IMDB reviews fetched by scripts/fetch-data.sh.")
        Path dataPath;

        @Option(names = "--backbones", split = ",", defaultValue = "minilm,minilm-q,bge-small,bge-small-q,e5-small,e5-small-q",
                description = "Backbones to compare (default: ${DEFAULT-VALUE}).")
        List<String> backbones;

        @Option(names = "--train", defaultValue = "1000", description = "Training examples (default: ${DEFAULT-VALUE}; 15%% of them validate).")
        int train;

        @Option(names = "--test", defaultValue = "5000", description = "Test examples (default: ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--max-length", defaultValue = "256", description = "Tokens per text (default: ${DEFAULT-VALUE}).")
        int maxLength;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample and the runs (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Write all runs as JSON to this file.")
        Path json;

        @Override
        public Integer call() {
            List<TextDataset> parts = Sampling.disjoint(data.labelled(dataPath), seed, train, test);
            Table t = new Table("model", "accuracy", "95% CI", "macro-F1", "embed s", "texts encoded", "from cache");
            Map<String, TransferRun<?, ?>> runs = new LinkedHashMap<>();
            TransferRun<?, ?> last = null;
            for (String b : backbones) {
                int len = Math.min(maxLength, BackboneCatalogue.load().resolve(b).maxLength());
                try (var r = Transfer.text().backbone(b).configure(c -> c.toBuilder().maxLength(len).build())
                        .seed(seed).seeds(1).progress(common.progress()).run(parts.get(0), parts.get(1))) {
                    runs.put(b, r);
                    last = r;
                    t.row(r.transfer().name(), RunReport.pct(r.transfer().test().accuracy()),
                            RunReport.pct(r.transfer().test().accuracyLow95()) + "-" + RunReport.pct(r.transfer().test().accuracyHigh95()),
                            RunReport.pct(r.transfer().test().macroF1()),
                            String.format(Locale.ROOT, "%.1f", r.embedding().extractMillis() / 1000.0), r.embedding().encoded(),
                            r.embedding().cacheHits());
                    System.err.println(b + ": " + RunReport.pct(r.transfer().test().accuracy()));
                }
            }
            if (last != null) {
                var s = last.scratch();
                t.row(s.name(), RunReport.pct(s.test().accuracy()),
                        RunReport.pct(s.test().accuracyLow95()) + "-" + RunReport.pct(s.test().accuracyHigh95()),
                        RunReport.pct(s.test().macroF1()), "-", "-", "-");
            }
            System.out.printf(Locale.ROOT, "%s: %d train (of which 15%% validation), %d test, seed %d, max %d tokens%n%n",
                    dataPath, train, test, seed, maxLength);
            System.out.print(t);
            if (json != null) {
                AtomicDirectory.writeFile(json, Json.bytes(runs));
            }
            return 0;
        }
    }

    @Command(name = "probe-parity", mixinStandardHelpOptions = true,
            description = "The linear probe alone on each backbone's frozen features of a train and a test file: test accuracy, "
                    + "the chosen L2 and the fit time; --dump writes the features as .npy for scripts/bench-probe.sh, which "
                    + "fits scikit-learn's LogisticRegression on the same numbers.")
    static final class ProbeParity implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Mixin DataOptions data;

        @Option(names = {"-d", "--data"}, required = true, description = "Labelled training texts.")
        Path dataPath;

        @Option(names = "--test-data", required = true, description = "Labelled test texts.")
        Path testPath;

        @Option(names = "--backbones", split = ",", defaultValue = "minilm,minilm-q,bge-small,bge-small-q,e5-small,e5-small-q",
                description = "Backbones (default: ${DEFAULT-VALUE}).")
        List<String> backbones;

        @Option(names = "--max-length", defaultValue = "128", description = "Tokens per text (default: ${DEFAULT-VALUE}).")
        int maxLength;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of the probe (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--dump", description = "Write each backbone's features and labels as DIR/<backbone>/{train,test}_{x,y}.npy.")
        Path dump;

        @Option(names = "--json", description = "Write the results as JSON to this file.")
        Path json;

        @Override
        public Integer call() {
            TextDataset train = data.labelled(dataPath).requireTrainable();
            TextDataset test = data.labelled(testPath);
            Table t = new Table("backbone", "train", "test", "width", "accuracy", "L2", "probe fit s", "features s");
            List<ProbeParityBenchmark.Result> results = new ArrayList<>();
            for (String b : backbones) {
                BackboneSpec spec = BackboneCatalogue.load().resolve(b);
                ProbeParityBenchmark.Result r = ProbeParityBenchmark.run(spec, BackboneLocator.standard().locate(spec),
                        Math.min(maxLength, spec.maxLength()), train, test, seed, dump == null ? null : dump.resolve(spec.id()),
                        common.progress());
                results.add(r);
                t.row(r.backbone(), r.train(), r.test(), r.width(), RunReport.pct(r.accuracy()), String.format(Locale.ROOT, "%.2g", r.l2()),
                        String.format(Locale.ROOT, "%.2f", r.fitMillis() / 1000.0), String.format(Locale.ROOT, "%.1f", r.extractMillis() / 1000.0));
            }
            System.out.printf(Locale.ROOT, "%s -> %s, seed %d, max %d tokens%n%n", dataPath, testPath, seed, maxLength);
            System.out.print(t);
            if (json != null) {
                AtomicDirectory.writeFile(json, Json.bytes(results));
            }
            return 0;
        }
    }

    @Command(name = "onnx", mixinStandardHelpOptions = true,
            description = "Forward time of an ONNX text encoder through transfer4j's trainable import vs ONNX Runtime, and "
                    + "forward+backward, at a given batch and sequence length (median of repeats).")
    static final class Onnx implements Callable<Integer> {
        @Mixin CommonOptions common;

        @picocli.CommandLine.Parameters(paramLabel = "MODEL.onnx")
        Path model;

        @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--seq", defaultValue = "128", description = "Sequence length (default: ${DEFAULT-VALUE}).")
        int seq;

        @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Override
        public Integer call() throws Exception {
            io.transfer4j.onnx.OnnxFile f = io.transfer4j.onnx.OnnxFile.read(model);
            var feeds = io.transfer4j.onnx.OnnxChecker.randomFeeds(f, batch, seq, 1);
            var r = io.transfer4j.bench.OnnxBenchmark.run(f, feeds, repeats, common.progress());
            Table t = new Table("path", "median ms", "vs ONNX Runtime");
            t.row("ONNX Runtime forward", String.format(Locale.ROOT, "%.1f", r.onnxRuntimeMs()), "1.00x");
            t.row("transfer4j forward (no grad)", String.format(Locale.ROOT, "%.1f", r.forwardMs()),
                    String.format(Locale.ROOT, "%.2fx", r.forwardMs() / r.onnxRuntimeMs()));
            t.row("transfer4j forward+backward", String.format(Locale.ROOT, "%.1f", r.forwardBackwardMs()),
                    String.format(Locale.ROOT, "%.2fx", r.forwardBackwardMs() / r.onnxRuntimeMs()));
            t.row("transfer4j forward, bf16 products", String.format(Locale.ROOT, "%.1f", r.bf16ForwardMs()),
                    String.format(Locale.ROOT, "%.2fx", r.bf16ForwardMs() / r.onnxRuntimeMs()));
            t.row("transfer4j forward+backward, bf16", String.format(Locale.ROOT, "%.1f", r.bf16ForwardBackwardMs()),
                    String.format(Locale.ROOT, "%.2fx", r.bf16ForwardBackwardMs() / r.onnxRuntimeMs()));
            System.out.printf(Locale.ROOT, "%s: %d nodes, batch %d, sequence %d, %d repeats%n%n", model.getFileName(), r.nodes(),
                    batch, seq, repeats);
            System.out.print(t);
            System.out.printf(Locale.ROOT, "%ninterpreter overhead per node at this size: <= %.3f ms (forward time / nodes)%n",
                    r.forwardMs() / r.nodes());
            return 0;
        }
    }

    @Command(name = "audio", mixinStandardHelpOptions = true,
            description = "Clip features of the speech embedding through transfer4j vs the same graphs driven by hand on bare ONNX "
                    + "Runtime (openWakeWord's way: one window per call): clips per second (median of repeats) and the largest "
                    + "difference between their features.")
    static final class Audio implements Callable<Integer> {
        @Mixin CommonOptions common;

        @Option(names = {"-d", "--data"}, required = true, description = "WAV/FLAC clips: a file, a folder (searched recursively) or a CSV.")
        Path data;

        @Option(names = "--clip-seconds", defaultValue = "1.0", description = "Length every clip is fitted to (default: ${DEFAULT-VALUE}).")
        double clipSeconds;

        @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Override
        public Integer call() throws Exception {
            var b = io.transfer4j.backbone.AudioBackbones.speechEmbedding();
            var clips = io.transfer4j.data.AudioDatasetReader.defaults().unlabelled(java.util.List.of(data), b.sampleRate());
            int samples = b.samplesFor(clipSeconds);
            var r = io.transfer4j.bench.AudioBenchmark.run(b, clips, samples, repeats, common.progress());
            Table t = new Table("path", "clips/s", "vs bare ONNX Runtime");
            t.row("bare ONNX Runtime, one window per call", String.format(Locale.ROOT, "%.1f", r.bareClipsPerSec()), "1.00x");
            t.row("transfer4j", String.format(Locale.ROOT, "%.1f", r.transfer4jClipsPerSec()), String.format(Locale.ROOT, "%.2fx", r.speedup()));
            System.out.printf(Locale.ROOT, "speech-embedding: %d clips of %.2f s (%d windows each), %d repeats%n%n", r.clips(),
                    samples / (double) b.sampleRate(), r.windowsPerClip(), r.repeats());
            System.out.print(t);
            System.out.printf(Locale.ROOT, "%nlargest |transfer4j - bare| over all features: %.2e%n", r.maxAbsDiff());
            return 0;
        }
    }

    @Command(name = "finetune", mixinStandardHelpOptions = true,
            description = "Fine-tune a whole imported ONNX encoder (every weight trainable) with a new head on labelled "
                    + "texts through the training loop, then export the tuned encoder and check it with ONNX Runtime.")
    static final class FineTune implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Mixin DataOptions data;

        @Option(names = {"-b", "--backbone"}, defaultValue = "minilm", description = "Backbone (default: ${DEFAULT-VALUE}).")
        String backbone;

        @Option(names = {"-d", "--data"}, description = "Labelled texts (default: the demo reviews).")
        Path dataPath;

        @Option(names = "--train", defaultValue = "256", description = "Training examples (default: ${DEFAULT-VALUE}).")
        int train;

        @Option(names = "--validation", defaultValue = "128", description = "Validation examples (default: ${DEFAULT-VALUE}).")
        int validation;

        @Option(names = "--epochs", defaultValue = "2", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--lr", defaultValue = "3e-5", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        float lr;

        @Option(names = "--max-length", defaultValue = "128", description = "Tokens per text (default: ${DEFAULT-VALUE}).")
        int maxLength;

        @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--export", description = "Where to write the tuned encoder (default: a temp file).")
        Path export;

        @Override
        public Integer call() throws Exception {
            TextDataset d = data.labelled(dataPath != null ? dataPath : QuickstartCommand.demoData());
            List<TextDataset> parts = Sampling.disjoint(d, seed, train, validation);
            BackboneSpec spec = BackboneCatalogue.load().resolve(backbone);
            BackboneFiles files = BackboneLocator.standard().locate(spec);
            io.transfer4j.data.LabelMap labels = parts.get(0).labelMap();
            long[][] trainIds;
            long[][] valIds;
            int width;
            try (TextEncoder enc = TextEncoder.open(spec, files, maxLength, 32, 1)) {
                width = enc.width();
                trainIds = enc.tokenize(parts.get(0).texts()).ids();
                valIds = enc.tokenize(parts.get(1).texts()).ids();
            }
            Path out = export != null ? export : java.nio.file.Files.createTempFile("transfer4j-tuned-", ".onnx");
            try (ai.djl.Model model = ai.djl.Model.newInstance("finetune", ai.djl.Device.cpu(), "PyTorch")) {
                io.transfer4j.onnx.OnnxBlock encoder = io.transfer4j.onnx.OnnxBlock.load(
                        io.transfer4j.onnx.OnnxFile.read(files.onnx()), model.getNDManager());
                io.transfer4j.train.EncoderClassifier net = new io.transfer4j.train.EncoderClassifier(encoder, width, labels.size());
                model.setBlock(net);
                var cfg = new io.transfer4j.train.TrainConfig(epochs, 16, lr, 0, epochs, seed);
                var trainRows = new io.transfer4j.train.EncoderRows(trainIds, encoder.inputNames());
                var valRows = new io.transfer4j.train.EncoderRows(valIds, encoder.inputNames());
                io.transfer4j.train.FitResult r;
                try (var task = common.progress().start("fine-tune", io.transfer4j.train.TrainingLoop.maxSteps(train, cfg), "steps")) {
                    r = io.transfer4j.train.TrainingLoop.fit(model, trainRows, parts.get(0).labelIndices(labels), valRows,
                            parts.get(1).labelIndices(labels), cfg, "fine-tune", task);
                }
                long trainable = net.getParameters().values().stream().filter(p -> p.requiresGradient())
                        .mapToLong(p -> p.getArray().size()).sum();
                Table t = new Table("epoch", "train loss", "validation loss", "validation accuracy");
                r.history().forEach(h -> t.row(h.epoch(), String.format(Locale.ROOT, "%.4f", h.trainLoss()),
                        String.format(Locale.ROOT, "%.4f", h.validationLoss()), RunReport.pct(h.validationAccuracy())));
                System.out.printf(Locale.ROOT, "%s fully fine-tuned: %,d trainable parameters, %d train / %d validation texts, "
                        + "batch 16, lr %g, %.1f s%n%n", spec.id(), trainable, train, validation, lr, r.millis() / 1000.0);
                System.out.print(t);
                io.transfer4j.onnx.OnnxExporter.export(encoder, out);
            }
            io.transfer4j.onnx.OnnxFile tuned = io.transfer4j.onnx.OnnxFile.read(out);
            var check = io.transfer4j.onnx.OnnxChecker.check(tuned, io.transfer4j.onnx.OnnxChecker.textFeeds(tuned,
                    files.tokenizer(), parts.get(1).texts().subList(0, 4), maxLength));
            System.out.printf(Locale.ROOT, "%nexported tuned encoder to %s; ONNX Runtime vs transfer4j on it: max abs diff %.3g%n",
                    out, check.worst());
            return check.worst() <= 1e-4 ? 0 : 1;
        }
    }

    @Command(name = "negative-transfer", mixinStandardHelpOptions = true,
            description = "Check the negative-transfer guard on constructed cases: the pre-trained backbone, the same network "
                    + "with its weights permuted (an unrelated source) and the backbone fine-tuned on these texts with shuffled "
                    + "labels, each as a linear probe against the scratch baseline over several seeds.")
    static final class NegativeTransfer implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Mixin DataOptions data;

        @Option(names = {"-d", "--data"}, required = true, description = "Labelled training texts.")
        Path dataPath;

        @Option(names = "--test-data", required = true, description = "Held-out labelled texts.")
        Path testPath;

        @Option(names = {"-b", "--backbone"}, defaultValue = "minilm",
                description = "An fp32 backbone, so its weights can be permuted (default: ${DEFAULT-VALUE}).")
        String backbone;

        @Option(names = "--seeds", defaultValue = "3", description = "Seeds per guard (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--max-length", defaultValue = "128", description = "Tokens per text, one window (default: ${DEFAULT-VALUE}).")
        int maxLength;

        @Option(names = "--seed", defaultValue = "42", description = "First seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--work", required = true, description = "Folder for the constructed backbones.")
        Path work;

        @Option(names = "--json", description = "Also write the cases as JSON to this file.")
        Path json;

        @Override
        public Integer call() {
            TextDataset train = data.labelled(dataPath);
            TextDataset test = data.labelled(testPath);
            List<io.transfer4j.bench.NegativeTransferBenchmark.Case> cases = io.transfer4j.bench.NegativeTransferBenchmark.run(
                    train, test, backbone, seeds, maxLength, seed, work, common.progress());
            Table t = new Table("backbone", "transfer acc", "scratch acc", "gain (points)", "95% CI", "verdict");
            for (var c : cases) {
                var g = c.comparison();
                t.row(c.kind(), RunReport.pct(mean(g.transferAccuracy())), RunReport.pct(mean(g.scratchAccuracy())),
                        String.format(Locale.ROOT, "%+.1f", 100 * g.meanGain()),
                        String.format(Locale.ROOT, "%+.1f to %+.1f", 100 * g.gainLow95(), 100 * g.gainHigh95()), g.verdict());
            }
            System.out.printf(Locale.ROOT, "%s -> %s: linear probe vs scratch over seeds %s (%d train / %d test texts, %d tokens)%n%n",
                    backbone, dataPath, cases.get(0).comparison().seeds(), train.size(), test.size(), maxLength);
            System.out.print(t);
            if (json != null) {
                io.transfer4j.util.AtomicDirectory.writeFile(json, io.transfer4j.util.Json.bytes(cases));
            }
            return 0;
        }

        private static double mean(List<Double> v) {
            return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    @Command(name = "train-step", mixinStandardHelpOptions = true,
            description = "Time full fine-tuning steps (forward, backward, clipping, AdamW) of an encoder with a linear head "
                    + "through the training loop, on fixed random token ids; --dump writes the starting weights and ids for "
                    + "scripts/torch_train_step.py, the same step in PyTorch.")
    static final class TrainStep implements Callable<Integer> {
        @Mixin CommonOptions common;

        @Option(names = {"-b", "--backbone"}, defaultValue = "minilm", description = "Backbone (default: ${DEFAULT-VALUE}).")
        String backbone;

        @Option(names = "--batch", defaultValue = "32", description = "Batch (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--seq", defaultValue = "128", description = "Tokens per row (default: ${DEFAULT-VALUE}).")
        int seq;

        @Option(names = "--steps", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed first steps (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--dump", description = "Directory to write the starting weights, ids and labels to.")
        Path dump;

        @Option(names = "--precision", defaultValue = "fp32", converter = PrecisionConverter.class,
                description = "Dense products in fp32, bf16 (mixed precision, fp32 weights) or auto (bf16 where the CPU has bf16 "
                        + "instructions) (default: ${DEFAULT-VALUE}).")
        io.transfer4j.onnx.Precision precision;

        @Option(names = "--json", description = "Also write the result as JSON here.")
        Path json;

        @Override
        public Integer call() {
            BackboneSpec spec = BackboneCatalogue.load().resolve(backbone);
            BackboneFiles files = BackboneLocator.standard().locate(spec);
            var r = io.transfer4j.select.StepCost.run(files, spec.width(), batch, seq, steps, warmup, dump, precision);
            System.out.printf(Locale.ROOT, "transfer4j %s %s full fine-tuning step, batch %d x %d tokens, %,d parameters: "
                    + "median %.0f ms/step over %d steps = %.1f examples/s; peak RSS %,d KB; loss on the first batch before training %.6f%n",
                    spec.id(), r.precision(), batch, seq, r.parameters(), r.medianStepMs(), steps, r.examplesPerSecond(), r.peakRssKb(),
                    r.initialLoss());
            if (json != null) {
                AtomicDirectory.writeFile(json, Json.bytes(r));
            }
            return 0;
        }
    }

    @Command(name = "vision-step", mixinStandardHelpOptions = true,
            description = "Time training steps (forward, backward, clipping, AdamW) of a built-in CNN with a 10-class head "
                    + "through the training loop, on random images; scripts/torch_vision_step.py times the same in PyTorch.")
    static final class VisionStep implements Callable<Integer> {
        @Mixin CommonOptions common;

        @Option(names = "--arch", defaultValue = "resnet18", description = "Built-in network (default: ${DEFAULT-VALUE}).")
        String arch;

        @Option(names = "--size", defaultValue = "32", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--channels", defaultValue = "3", description = "Image channels (default: ${DEFAULT-VALUE}).")
        int channels;

        @Option(names = "--batch", defaultValue = "64", description = "Batch (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "3", description = "Untimed first steps (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--precision", defaultValue = "fp32", converter = PrecisionConverter.class,
                description = "Convolutions and products in fp32, bf16 (mixed precision, fp32 weights) or auto (default: ${DEFAULT-VALUE}).")
        io.transfer4j.onnx.Precision precision;

        @Option(names = "--json", description = "Also write the result as JSON here.")
        Path json;

        @Override
        public Integer call() {
            var r = io.transfer4j.bench.VisionStepBenchmark.run(arch, channels, size, batch, steps, warmup, precision);
            System.out.printf(Locale.ROOT, "transfer4j %s %s training step, batch %d x %dx%dx%d, %,d parameters: median %.1f ms/step "
                    + "over %d steps = %.1f images/s; peak RSS %,d KB%n", arch, r.precision(), batch, channels, size, size, r.parameters(),
                    r.medianStepMs(), steps, r.imagesPerSecond(), r.peakRssKb());
            if (json != null) {
                AtomicDirectory.writeFile(json, Json.bytes(r));
            }
            return 0;
        }
    }

    @Command(name = "shift-images", mixinStandardHelpOptions = true,
            description = "Make a shifted target domain from grey labelled images (IDX or folder per class), as a folder per class "
                    + "of PNGs: photo-blend (MNIST-M's construction: |photo patch - image| per channel), appearance (inverted, "
                    + "blurred, noisy) or none (a plain copy). For domain-adaptation evidence.")
    static final class ShiftImages implements Callable<Integer> {
        @Mixin CommonOptions common;

        @Option(names = "--images", required = true, description = "Grey labelled images: an IDX *-images-idx3-ubyte[.gz] file or a folder per class.")
        Path images;

        @Option(names = "--kind", required = true, description = "photo-blend or appearance.")
        String kind;

        @Option(names = "--photos", description = "photo-blend: a folder of JPEG/PNG photographs to take patches from.")
        Path photos;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the patches and noise (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--limit", defaultValue = "2147483647", description = "Shift only the first N images.")
        int limit;

        @Option(names = {"-o", "--out"}, required = true, description = "Folder to write (replaced atomically).")
        Path out;

        @Override
        public Integer call() {
            var data = io.transfer4j.bench.ShiftedImages.read(images, common.progress());
            int n = io.transfer4j.bench.ShiftedImages.write(data, io.transfer4j.bench.ShiftedImages.Kind.parse(kind), photos, out, seed,
                    limit, common.progress());
            System.out.printf(Locale.ROOT, "%,d images of %s shifted (%s) into %s%n", n, images, kind, out);
            return 0;
        }
    }
}
