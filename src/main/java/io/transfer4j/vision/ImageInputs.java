package io.transfer4j.vision;

import io.transfer4j.backbone.Architectures;
import io.transfer4j.backbone.BackboneRef;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.backbone.ImageBackbones;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.data.ImageShape;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.onnx.proto.Onnx.TensorShapeProto;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Images read at the shape their backbone needs, with that backbone resolved from the config's
 * reference (a bundle folder, an {@code .onnx} model or a built-in architecture): images cannot be
 * read before the backbone is known, unlike texts, whose tokenizer reads any string.
 *
 * @param test held-out images, or null to hold out part of {@code data}
 */
public record ImageInputs(ImageDataset data, ImageDataset test, ImageBackbone backbone) {

    /** Reads {@code data} (and {@code test}, may be null) at the shape the backbone needs, and resolves the backbone. */
    public static ImageInputs read(ImageRunConfig config, Path data, Path test, ImageDatasetReader reader) {
        return resolve(config, data, shape -> reader.read(data, shape), test == null ? null : shape -> reader.read(test, shape));
    }

    /**
     * Images without labels (a flat folder, a CSV of paths, an IDX images file) at the shape the
     * backbone needs, and the backbone: what self-supervised pre-training reads.
     */
    public static ImageInputs readUnlabelled(ImageRunConfig config, Path data, ImageDatasetReader reader) {
        return resolve(config, data, shape -> reader.unlabelled(java.util.List.of(data), shape), null);
    }

    private static ImageInputs resolve(ImageRunConfig config, Path data, Function<ImageShape, ImageDataset> readData,
            Function<ImageShape, ImageDataset> readTest) {
        BackboneRef ref = BackboneRef.parse(config.backbone());
        ImageBackbone bb;
        if (ref instanceof BackboneRef.Bundle b) {
            bb = ImageBundle.backbone(b.dir());
        } else if (ref instanceof BackboneRef.OnnxModel m) {
            ImageShape shape = importedShape(config, m.file());
            bb = ImageBackbones.imported(m.file(), config.featureLayer(), shape, orHalf(config.mean(), shape.channels()),
                    orHalf(config.std(), shape.channels()));
        } else if (ref instanceof BackboneRef.BuiltIn b) {
            // a fresh network takes its normalisation from the images, so they are read first
            ImageDataset all = readData.apply(builtInShape(config, data));
            ImageBackbone fresh = freshBackbone(config, b.text(), all);
            return new ImageInputs(all, readTest == null ? null : readTest.apply(fresh.shape()), fresh);
        } else {
            throw new UserException("unknown image backbone '" + ref.text() + "'; give a built-in architecture ("
                    + String.join(", ", Architectures.NAMES) + "), a bundle directory or an .onnx file (catalogue ids are text encoders)");
        }
        return new ImageInputs(readData.apply(bb.shape()), readTest == null ? null : readTest.apply(bb.shape()), bb);
    }

    /** These inputs with the images kept or dropped by {@code filter} (e.g. a class selection). */
    public ImageInputs map(java.util.function.UnaryOperator<ImageDataset> filter) {
        return new ImageInputs(filter.apply(data), test == null ? null : filter.apply(test), backbone);
    }

    /** A fresh built-in network, normalised with the config's or the training images' statistics. */
    public static ImageBackbone freshBackbone(ImageRunConfig config, String arch, ImageDataset train) {
        float[][] stats = config.mean() != null && config.std() != null
                ? new float[][] {config.mean(), config.std()} : channelStats(train);
        return ImageBackbones.builtIn(arch, new ImageShape(train.channels(), train.height(), train.width()), config.seed(),
                stats[0], stats[1]);
    }

    /**
     * IDX data keeps its own shape (1 channel); image files the first image's channels (a folder of
     * grey PNGs trains a grey network) and its shorter side, at most 64; the options win.
     */
    private static ImageShape builtInShape(ImageRunConfig config, Path data) {
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
    private static ImageShape importedShape(ImageRunConfig config, Path onnx) {
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
        Arrays.fill(h, ImageBackbones.HALF);
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
}
