package io.transfer4j.onnx;

import com.google.protobuf.ByteString;
import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.onnx.proto.Onnx.TensorShapeProto;
import io.transfer4j.onnx.proto.Onnx.TypeProto;
import io.transfer4j.onnx.proto.Onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Writes convolutional networks as ONNX graphs (opset 13), with freshly initialised weights
 * named by module path ("layer2.1.conv1.weight"), so that built-in architectures go through the
 * same importer, strategies, exporter and ONNX Runtime inference as any imported model.
 * Initialisation follows PyTorch's defaults for these layers: He-normal (fan-out) convolutions,
 * BatchNorm weight 1 and bias 0, running mean 0 and variance 1.
 */
public final class GraphBuilder {
    private final GraphProto.Builder g = GraphProto.newBuilder();
    private final Random rng;

    public GraphBuilder(String name, long seed) {
        g.setName(name);
        rng = new Random(seed);
    }

    /** A float input [N, C, H, W] with the batch, height and width left dynamic. */
    public String input(String name, int channels) {
        g.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("height"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("width"))))).build());
        return name;
    }

    /** Convolution without bias (a BatchNorm follows). */
    public String conv(String path, String x, int in, int out, int kernel, int stride, int groups) {
        int fanOut = out * kernel * kernel / groups;
        float[] w = normal(out * (in / groups) * kernel * kernel, Math.sqrt(2.0 / fanOut));
        weight(path + ".weight", new long[] {out, in / groups, kernel, kernel}, w);
        int pad = kernel / 2;
        return node("Conv", path, new String[] {x, path + ".weight"},
                ints("kernel_shape", kernel, kernel), ints("strides", stride, stride), ints("pads", pad, pad, pad, pad),
                integer("group", groups));
    }

    public String batchNorm(String path, String x, int channels) {
        float[] ones = new float[channels];
        java.util.Arrays.fill(ones, 1f);
        weight(path + ".weight", new long[] {channels}, ones);
        weight(path + ".bias", new long[] {channels}, new float[channels]);
        weight(path + ".running_mean", new long[] {channels}, new float[channels]);
        weight(path + ".running_var", new long[] {channels}, ones.clone());
        return node("BatchNormalization", path, new String[] {x, path + ".weight", path + ".bias", path + ".running_mean",
                path + ".running_var"}, AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT)
                .setF(1e-5f).build(), AttributeProto.newBuilder().setName("momentum").setType(AttributeProto.AttributeType.FLOAT)
                .setF(0.9f).build());
    }

    public String relu(String path, String x) {
        return node("Relu", path, new String[] {x});
    }

    /** ReLU6, as ONNX Clip(0, 6); the bounds are Constant nodes, so the importer does not train them. */
    public String relu6(String path, String x) {
        String lo = node("Constant", path + ".min", new String[0], tensor(scalar("min", 0f)));
        String hi = node("Constant", path + ".max", new String[0], tensor(scalar("max", 6f)));
        return node("Clip", path, new String[] {x, lo, hi});
    }

    private static AttributeProto tensor(TensorProto t) {
        return AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    public String add(String path, String a, String b) {
        return node("Add", path, new String[] {a, b});
    }

    public String maxPool(String path, String x, int kernel, int stride) {
        int pad = kernel / 2;
        return node("MaxPool", path, new String[] {x}, ints("kernel_shape", kernel, kernel), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad));
    }

    /** Global average pooling to [N, C]. */
    public String pool(String path, String x) {
        String p = node("GlobalAveragePool", path, new String[] {x});
        return node("Flatten", path + ".flatten", new String[] {p}, integer("axis", 1));
    }

    /** The finished model with {@code output} as its one output, of {@code width} features per row. */
    public ModelProto build(String output, int width) {
        GraphProto.Builder b = g.clone();
        int last = b.getNodeCount() - 1;
        b.setNode(last, b.getNode(last).toBuilder().setOutput(0, output));
        b.addOutput(ValueInfoProto.newBuilder().setName(output).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))))).build());
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("transfer4j").setGraph(b)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build();
    }

    private String node(String op, String path, String[] inputs, AttributeProto... attrs) {
        String out = path + "." + op.toLowerCase(java.util.Locale.ROOT) + ".out";
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName("/" + path.replace('.', '/') + "/" + op).addOutput(out);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        g.addNode(n);
        return out;
    }

    private float[] normal(int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextGaussian() * std);
        }
        return v;
    }

    private void weight(String name, long[] dims, float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        g.addInitializer(t);
    }

    private static TensorProto scalar(String name, float v) {
        ByteBuffer buf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array())).build();
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }
}
