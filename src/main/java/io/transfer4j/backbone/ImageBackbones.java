package io.transfer4j.backbone;

import io.transfer4j.data.ImageShape;
import io.transfer4j.onnx.FeatureGraphs;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Resolves a vision backbone from what a user names: a built-in architecture (fresh weights, for
 * training from scratch or pre-training), a bundle written by {@code pretrain} or {@code train}
 * (its tuned feature graph), or any ONNX image model cut at a feature layer.
 */
public final class ImageBackbones {
    /** Normalisation used when neither the backbone nor the user gives one: pixels to [-1, 1]. */
    public static final float HALF = 0.5f;

    private ImageBackbones() {}

    /** A freshly initialised built-in network for images of {@code shape}, normalised with the given statistics. */
    public static ImageBackbone builtIn(String arch, ImageShape shape, long seed, float[] mean, float[] std) {
        if (shape.height() != shape.width()) {
            throw new UserException("built-in architectures take square images; give --image-size N");
        }
        Architectures.Network net = Architectures.build(arch, shape.channels(), shape.height(), seed);
        byte[] bytes = net.model().toByteArray();
        String sha = sha(bytes);
        Path file = Dirs.backbones().resolve("builtin").resolve(net.arch() + "-" + shape + "-seed" + seed + "-" + sha.substring(0, 12) + ".onnx");
        if (!Files.isRegularFile(file)) {
            AtomicDirectory.writeFile(file, bytes);
        }
        return new ImageBackbone(net.arch(), file, sha, Architectures.INPUT, shape, mean, std, net.width(),
                net.arch(), false);
    }

    /**
     * Any ONNX image model, cut at {@code featureLayer} (null: the input of its last MatMul/Gemm,
     * i.e. what its classifier head reads) and pooled to one vector per image.
     */
    public static ImageBackbone imported(Path onnx, String featureLayer, ImageShape shape, float[] mean, float[] std) {
        OnnxFile f = OnnxFile.read(onnx);
        var inputs = f.model().getGraph().getInputList().stream()
                .filter(v -> f.model().getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals(v.getName())))
                .toList();
        if (inputs.size() != 1) {
            throw new UserException(onnx + " has " + inputs.size() + " inputs; an image backbone takes one image batch [N, C, H, W]");
        }
        String input = inputs.get(0).getName();
        String layer = featureLayer != null && !featureLayer.isBlank() ? featureLayer : FeatureGraphs.penultimate(f);
        String sha = Hashing.sha256Hex(onnx);
        Path file = Dirs.backbones().resolve("cuts").resolve(sha.substring(0, 16) + "-" + safe(layer) + "-pooled.onnx");
        if (!Files.isRegularFile(file)) {
            int rank = ImageEncoder.rankOf(onnx, input, layer, shape);
            AtomicDirectory.writeFile(file, FeatureGraphs.pooledAt(f, layer, rank).model().toByteArray());
        }
        int width = ImageEncoder.widthOf(file, input, shape);
        String name = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        return new ImageBackbone(name + "@" + layer, file, Hashing.sha256Hex(file), input, shape, mean, std, width, null, true);
    }

    private static String sha(byte[] b) {
        java.security.MessageDigest md = Hashing.sha256();
        return java.util.HexFormat.of().formatHex(md.digest(b));
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT);
    }
}
