package io.transfer4j;

import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.run.ImageRun;
import io.transfer4j.run.ModelResult;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import io.transfer4j.backbone.Architectures;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.backbone.ImageBackbones;
import io.transfer4j.backbone.ImageEncoder;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.data.ImageShape;
import io.transfer4j.data.LabelMap;
import io.transfer4j.eval.Metrics;
import io.transfer4j.eval.PairedComparison;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxExporter;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.onnx.proto.Onnx.TensorShapeProto;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.train.FeatureClassifier;
import io.transfer4j.train.FitResult;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.train.HeadType;
import io.transfer4j.model.ImageModel;
import io.transfer4j.train.ImageRows;
import io.transfer4j.train.Inference;
import io.transfer4j.train.ParameterTable;
import io.transfer4j.train.Standardizer;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.train.TrainingLoop;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import io.transfer4j.util.WorkDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Transfer for images: the backbone named by the config (built-in, pre-trained bundle or ONNX
 * model) either frozen with a linear head on its features, or fine-tuned under a
 * {@link Strategy} through the one training loop (augmenting training batches only); next to it,
 * a fresh network trained from scratch on the same split with the same budget.
 */
public final class ImageTransfer {
    private final ImageRunConfig config;
    private final Progress progress;

    public ImageTransfer(ImageRunConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
    }

    public ImageRunConfig config() {
        return config;
    }

    public Progress progress() {
        return progress;
    }

    /** Images read at the backbone's shape, with the backbone itself. */
    public record Inputs(ImageDataset data, ImageDataset test, ImageBackbone backbone) {}

    /** Reads {@code data} (and {@code test}, may be null) at the shape the backbone needs, and resolves the backbone. */
    public Inputs read(Path data, Path test, ImageDatasetReader reader) {
        String id = config.backbone();
        Path asPath = Path.of(id);
        if (Files.isDirectory(asPath)) {
            ImageBackbone b = ImageBundle.backbone(asPath);
            return new Inputs(reader.read(data, b.shape()), test == null ? null : reader.read(test, b.shape()), b);
        }
        if (id.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            ImageShape shape = importedShape(asPath);
            ImageBackbone b = ImageBackbones.imported(asPath, config.featureLayer(), shape,
                    orHalf(config.mean(), shape.channels()), orHalf(config.std(), shape.channels()));
            return new Inputs(reader.read(data, shape), test == null ? null : reader.read(test, shape), b);
        }
        if (!Architectures.isBuiltIn(id)) {
            throw new UserException("unknown image backbone '" + id + "'; give a built-in architecture ("
                    + String.join(", ", Architectures.NAMES) + "), a bundle directory or an .onnx file");
        }
        ImageShape shape = builtInShape(data);
        ImageDataset all = reader.read(data, shape);
        ImageDataset t = test == null ? null : reader.read(test, shape);
        return new Inputs(all, t, freshBackbone(id, all, config.seed()));
    }

    /** A fresh built-in network, normalised with the given or the training images' statistics. */
    public ImageBackbone freshBackbone(String arch, ImageDataset train, long seed) {
        float[][] stats = config.mean() != null && config.std() != null
                ? new float[][] {config.mean(), config.std()} : channelStats(train);
        return ImageBackbones.builtIn(arch, new ImageShape(train.channels(), train.height(), train.width()), seed, stats[0], stats[1]);
    }

    /**
     * IDX data keeps its own shape (1 channel); image files the first image's channels (a folder of
     * grey PNGs trains a grey network) and its shorter side, at most 64; the options win.
     */
    private ImageShape builtInShape(Path data) {
        ImageShape own = ImageDatasetReader.nativeShape(data);
        ImageDatasetReader.FirstImage first = own == null ? ImageDatasetReader.firstImage(data) : null;
        int channels = config.channels() > 0 ? config.channels() : own != null ? 1 : first != null ? first.channels() : 3;
        if (config.imageSize() != null) {
            return ImageShape.parse(channels, config.imageSize());
        }
        if (own != null) {
            return new ImageShape(channels, own.height(), own.width());
        }
        int side = Math.max(8, Math.min(64, first != null ? first.side() : 64));
        return new ImageShape(channels, side, side);
    }

    /** An imported model's input shape: the options where given, else the graph's static input dimensions. */
    private ImageShape importedShape(Path onnx) {
        var in = OnnxFile.read(onnx).model().getGraph().getInput(0).getType().getTensorType().getShape();
        int[] dims = new int[4];
        for (int i = 0; i < Math.min(4, in.getDimCount()); i++) {
            TensorShapeProto.Dimension d = in.getDim(i);
            dims[i] = d.hasDimValue() ? (int) d.getDimValue() : 0;
        }
        int channels = config.channels() > 0 ? config.channels() : dims[1] > 0 ? dims[1] : 3;
        if (config.imageSize() != null) {
            return ImageShape.parse(channels, config.imageSize());
        }
        if (dims[2] > 0 && dims[3] > 0) {
            return new ImageShape(channels, dims[2], dims[3]);
        }
        if (dims[2] > 0) {
            return new ImageShape(channels, dims[2], dims[2]);
        }
        throw new UserException(onnx + " takes images of any size; give --image-size (e.g. 48 or 48x192)");
    }

    private static float[] orHalf(float[] v, int channels) {
        if (v != null) {
            if (v.length != channels) {
                throw new UserException("--mean and --std need " + channels + " value(s), one per channel; got " + v.length);
            }
            return v;
        }
        float[] h = new float[channels];
        java.util.Arrays.fill(h, ImageBackbones.HALF);
        return h;
    }

    /** Per-channel mean and standard deviation of pixels scaled to [0, 1]. */
    public static float[][] channelStats(ImageDataset d) {
        int c = d.channels();
        int plane = d.height() * d.width();
        double[] sum = new double[c];
        double[] sq = new double[c];
        for (byte[] px : d.pixels()) {
            for (int j = 0; j < px.length; j++) {
                double v = (px[j] & 0xff) / 255.0;
                sum[j / plane] += v;
                sq[j / plane] += v * v;
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        double n = (double) d.size() * plane;
        for (int i = 0; i < c; i++) {
            mean[i] = (float) (sum[i] / n);
            std[i] = (float) Math.max(1e-3, Math.sqrt(Math.max(0, sq[i] / n - mean[i] * mean[i])));
        }
        return new float[][] {mean, std};
    }

    public ImageRun run(Inputs in) {
        if (in.test() == null) {
            List<ImageDataset> s = in.data().split(config.validationFraction(), config.testFraction(), config.seed());
            return run(in.backbone(), s.get(0), s.get(1), s.get(2), in.data().contentHash());
        }
        List<ImageDataset> s = in.data().split(config.validationFraction(), 0, config.seed());
        return run(in.backbone(), s.get(0), s.get(1), in.test(), in.data().contentHash());
    }

    /** Transfer (and scratch, when the config asks) on a given split. */
    public ImageRun run(ImageBackbone backbone, ImageDataset train, ImageDataset validation, ImageDataset test, String dataSha) {
        LabelMap labels = train.labelMap();
        int[] testY = test.labelIndices(labels);
        long t0 = System.nanoTime();
        Trained transfer = config.strategy().tunesBackbone()
                ? fineTune(backbone, config.strategy(), train, validation, labels, !backbone.pretrained())
                : probe(backbone, train, validation, test, labels);
        long transferMillis = (System.nanoTime() - t0) / 1_000_000;
        try {
            int[] pred = Inference.argMax(transfer.model().probabilities(test, progress));
            ModelResult tr = new ModelResult((backbone.pretrained() ? "transfer:" + backbone.id() + "+" + config.strategy().kind().id()
                    : "scratch:" + backbone.id()),
                    Metrics.compute(testY, pred, labels), transfer.fit(), transferMillis, pred);
            ModelResult sc = null;
            // A fresh built-in backbone is itself the from-scratch model; a second one would only repeat it.
            if (config.scratch() && backbone.pretrained()) {
                long s0 = System.nanoTime();
                String arch = config.scratchArchFor(backbone);
                ImageBackbone fresh = freshBackbone(arch, train, config.seed());
                try (Trained scratch = fineTune(fresh, Strategy.of(Strategy.Kind.FULL), train, validation, labels, true)) {
                    int[] sp = Inference.argMax(scratch.model().probabilities(test, progress));
                    sc = new ModelResult("scratch:" + arch, Metrics.compute(testY, sp, labels), scratch.fit(),
                            (System.nanoTime() - s0) / 1_000_000, sp);
                }
            }
            return new ImageRun(config, backbone.id(), backbone.sha256(), backbone.shape().toString(), labels.names(), train.size(),
                    validation.size(), test.size(), dataSha, tr, sc, transfer.trainable(), transfer.total(), transfer.featureMillis(),
                    transfer.model(), sc == null ? null : PairedComparison.of(testY, tr.testPredictions(), sc.testPredictions()));
        } catch (RuntimeException e) {
            transfer.close(); // the transferred model's native memory and its temporary graph
            throw e;
        }
    }

    private record Trained(ImageModel model, FitResult fit, long trainable, long total, long featureMillis) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /** Frozen backbone on ONNX Runtime, features standardised, a logistic head with L2 chosen on validation. */
    private Trained probe(ImageBackbone backbone, ImageDataset train, ImageDataset validation, ImageDataset test, LabelMap labels) {
        long f0 = System.nanoTime();
        float[][] tf;
        float[][] vf;
        try (ImageEncoder enc = ImageEncoder.open(backbone)) {
            tf = enc.features(train, progress);
            vf = enc.features(validation, progress);
        }
        long featureMillis = (System.nanoTime() - f0) / 1_000_000;
        LinearProbe.Fitted fit = new LinearProbe(HeadType.LOGISTIC, 0, LinearProbe.defaultTraining(config.seed()), config.l2Grid())
                .fit("linear probe", labels.size(), tf, train.labelIndices(labels), vf, validation.labelIndices(labels), progress);
        long params = (long) (backbone.features() + 1) * labels.size();
        return new Trained(new ImageModel(backbone, fit.standardizer(), fit.model(), labels), fit.best(), params, params, featureMillis);
    }

    /**
     * The backbone's graph made trainable with a new head, trained by the loop under
     * {@code strategy} with augmented training batches, then exported so that the result runs on
     * ONNX Runtime like any backbone.
     */
    private Trained fineTune(ImageBackbone backbone, Strategy strategy, ImageDataset train, ImageDataset validation,
            LabelMap labels, boolean fromScratch) {
        TrainConfig tc = config.training(strategy, train.size(), fromScratch);
        String name = fromScratch ? "scratch " + backbone.arch() : "fine-tune " + strategy.kind().id();
        try (Model model = Model.newInstance(name, Device.cpu(), "PyTorch")) {
            OnnxBlock body = OnnxBlock.load(OnnxFile.read(backbone.onnx()), model.getNDManager());
            io.transfer4j.train.Seeds.beforeInit(config.seed());
            FeatureClassifier net = new FeatureClassifier(body, backbone.features(), labels.size());
            model.setBlock(net);
            ImageRows trainRows = new ImageRows(train, backbone.mean(), backbone.std(), config.augmentation(), config.seed());
            ImageRows valRows = ImageRows.plain(validation, backbone.mean(), backbone.std());
            net.initialize(model.getNDManager(), DataType.FLOAT32, trainRows.shapes(Math.min(tc.batchSize(), train.size())));
            ParameterTable table = net.table();
            FitResult fit;
            try (Progress.Task task = progress.start(name, TrainingLoop.maxSteps(train.size(), tc), "batches")) {
                fit = TrainingLoop.fit(model, trainRows, train.labelIndices(labels), valRows, validation.labelIndices(labels), tc,
                        new TrainingLoop.Tuning(table, strategy, Checkpoints.NONE), name, task);
            }
            WorkDirectory dir = WorkDirectory.create("transfer4j-vision-");
            try {
                Path onnx = dir.resolve("model.onnx");
                OnnxExporter.export(body, onnx);
                // A network trained here is named by what it is: its architecture and the data it learnt from.
                String id = fromScratch ? backbone.arch() + "-" + train.name() : backbone.id() + "+" + strategy.kind().id();
                ImageBackbone tuned = new ImageBackbone(id, onnx, Hashing.sha256Hex(onnx), backbone.input(), backbone.shape(),
                        backbone.mean(), backbone.std(), backbone.features(), backbone.arch(), true);
                Model head = HeadType.copyOf(net.head(), labels.size(), backbone.features());
                long total = table.trainableTotal();
                return new Trained(new ImageModel(tuned, Standardizer.identity(backbone.features()), head, labels, dir), fit,
                        table.trainedBy(strategy, tc), total, 0);
            } catch (RuntimeException e) {
                dir.close();
                throw e;
            }
        }
    }
}
