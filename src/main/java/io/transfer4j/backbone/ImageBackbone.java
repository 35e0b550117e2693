package io.transfer4j.backbone;

import io.transfer4j.data.ImageShape;
import java.nio.file.Path;

/**
 * A vision backbone ready to run: an ONNX graph from an image batch ({@code input}, [N, C, H, W])
 * to one feature vector per image ({@code features} wide), the shape it reads and the per-channel
 * mean and standard deviation of its input normalisation (on pixels scaled to [0, 1]).
 *
 * @param arch the built-in architecture it is (or was pre-trained as), null for imported models;
 *     the scratch baseline trains a fresh copy of it
 */
public record ImageBackbone(String id, Path onnx, String sha256, String input, ImageShape shape, float[] mean, float[] std,
        int features, String arch, boolean pretrained) {}
