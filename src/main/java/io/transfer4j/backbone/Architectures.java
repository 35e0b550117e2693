package io.transfer4j.backbone;

import io.transfer4j.onnx.GraphBuilder;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.util.UserException;
import java.util.List;
import java.util.Locale;

/**
 * Built-in convolutional networks for training from scratch and for pre-training, written as
 * ONNX graphs from input image to pooled features (the head is added by the trainer). Groups for
 * freezing and discriminative learning rates follow the module names: {@code stem}, then
 * {@code block1..} / {@code layer1..4} / {@code stage1..7}, then {@code last}.
 * <p>
 * Images smaller than 96 pixels a side get the CIFAR form of ResNet and MobileNetV2 (3x3 stride-1
 * stem, no stem pooling, the first downsampling stage kept at full resolution); larger ones the
 * ImageNet form.
 */
public final class Architectures {
    public static final String INPUT = "image";
    public static final String OUTPUT = "features";
    public static final List<String> NAMES = List.of("smallcnn", "resnet18", "resnet34", "mobilenetv2");

    private Architectures() {}

    public static boolean isBuiltIn(String id) {
        return NAMES.contains(id.toLowerCase(Locale.ROOT));
    }

    /** A freshly initialised network (seeded) and the width of its features. */
    public record Network(String arch, ModelProto model, int width) {}

    public static Network build(String arch, int channels, int size, long seed) {
        String a = arch.toLowerCase(Locale.ROOT);
        boolean small = size < 96;
        GraphBuilder g = new GraphBuilder(a, seed);
        String x = g.input(INPUT, channels);
        return switch (a) {
            case "smallcnn" -> smallCnn(g, x, channels);
            case "resnet18" -> resnet(g, x, channels, new int[] {2, 2, 2, 2}, small, a);
            case "resnet34" -> resnet(g, x, channels, new int[] {3, 4, 6, 3}, small, a);
            case "mobilenetv2" -> mobileNetV2(g, x, channels, small);
            default -> throw new UserException("unknown architecture '" + arch + "'; choose one of " + String.join(", ", NAMES));
        };
    }

    /** Four conv-BN-ReLU blocks (32, 64, 128, 256 channels), max-pooled between: about 0.4 M weights. */
    private static Network smallCnn(GraphBuilder g, String x, int channels) {
        int[] widths = {32, 64, 128, 256};
        int in = channels;
        for (int i = 0; i < widths.length; i++) {
            String p = "block" + (i + 1);
            x = g.relu(p + ".relu", g.batchNorm(p + ".bn", g.conv(p + ".conv", x, in, widths[i], 3, 1, 1), widths[i]));
            if (i < widths.length - 1) {
                x = g.maxPool(p + ".pool", x, 3, 2);
            }
            in = widths[i];
        }
        return new Network("smallcnn", poolAndBuild(g, x, in), in);
    }

    private static ModelProto poolAndBuild(GraphBuilder g, String x, int width) {
        g.pool("pool", x);
        return g.build(OUTPUT, width);
    }

    private static Network resnet(GraphBuilder g, String x, int channels, int[] blocks, boolean small, String arch) {
        if (small) {
            x = g.relu("stem.relu", g.batchNorm("stem.bn", g.conv("stem.conv", x, channels, 64, 3, 1, 1), 64));
        } else {
            x = g.relu("stem.relu", g.batchNorm("stem.bn", g.conv("stem.conv", x, channels, 64, 7, 2, 1), 64));
            x = g.maxPool("stem.pool", x, 3, 2);
        }
        int in = 64;
        int[] widths = {64, 128, 256, 512};
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                String p = "layer" + (s + 1) + "." + b;
                int stride = b == 0 && s > 0 ? 2 : 1;
                int out = widths[s];
                String y = g.relu(p + ".relu1", g.batchNorm(p + ".bn1", g.conv(p + ".conv1", x, in, out, 3, stride, 1), out));
                y = g.batchNorm(p + ".bn2", g.conv(p + ".conv2", y, out, out, 3, 1, 1), out);
                String shortcut = x;
                if (stride != 1 || in != out) {
                    shortcut = g.batchNorm(p + ".downsample.bn", g.conv(p + ".downsample.conv", x, in, out, 1, stride, 1), out);
                }
                x = g.relu(p + ".relu2", g.add(p + ".add", y, shortcut));
                in = out;
            }
        }
        return new Network(arch, poolAndBuild(g, x, 512), 512);
    }

    /** MobileNetV2 (width 1.0): inverted residual blocks (expand 1x1, depthwise 3x3, project 1x1), ReLU6. */
    private static Network mobileNetV2(GraphBuilder g, String x, int channels, boolean small) {
        int[][] settings = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
        x = g.relu6("stem.relu", g.batchNorm("stem.bn", g.conv("stem.conv", x, channels, 32, 3, small ? 1 : 2, 1), 32));
        int in = 32;
        for (int s = 0; s < settings.length; s++) {
            int t = settings[s][0];
            int c = settings[s][1];
            for (int i = 0; i < settings[s][2]; i++) {
                String p = "stage" + (s + 1) + "." + i;
                int stride = i == 0 ? (small && s == 1 ? 1 : settings[s][3]) : 1;
                int hidden = in * t;
                String y = x;
                if (t != 1) {
                    y = g.relu6(p + ".expand.relu", g.batchNorm(p + ".expand.bn", g.conv(p + ".expand.conv", y, in, hidden, 1, 1, 1), hidden));
                }
                y = g.relu6(p + ".dw.relu", g.batchNorm(p + ".dw.bn", g.conv(p + ".dw.conv", y, hidden, hidden, 3, stride, hidden), hidden));
                y = g.batchNorm(p + ".project.bn", g.conv(p + ".project.conv", y, hidden, c, 1, 1, 1), c);
                x = stride == 1 && in == c ? g.add(p + ".add", y, x) : y;
                in = c;
            }
        }
        x = g.relu6("last.relu", g.batchNorm("last.bn", g.conv("last.conv", x, in, 1280, 1, 1, 1), 1280));
        return new Network("mobilenetv2", poolAndBuild(g, x, 1280), 1280);
    }
}
