package io.transfer4j.export;

import io.transfer4j.onnx.GraphEdits;
import io.transfer4j.onnx.OnnxFile;

import com.google.protobuf.ByteString;
import io.transfer4j.backbone.Pooling;
import io.transfer4j.train.Standardizer;
import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.StringStringEntryProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.onnx.proto.Onnx.TensorShapeProto;
import io.transfer4j.onnx.proto.Onnx.TypeProto;
import io.transfer4j.onnx.proto.Onnx.ValueInfoProto;
import io.transfer4j.util.UserException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One ONNX graph for a whole classifier of any modality: the backbone's graph to one feature
 * vector per row (texts: the encoder and its pooling over the attention mask; images: the pixel
 * normalisation and the feature network), then what every modality shares: the standardisation
 * folded into the head, the head, and a softmax. Outputs {@code logits} and {@code probabilities};
 * labels and the input's recipe travel as metadata. Long texts are read as one window (the
 * exported graph cannot average windows).
 */
public final class ClassifierGraph {
    private ClassifierGraph() {}

    /** One dense layer of the head, y = x·Wᵀ + b with W of shape [out][in]. */
    public record Dense(float[][] weight, float[] bias) {}

    /** The dense layers of a head as DJL holds them (weight, bias pairs; weight [out][in]). */
    public static List<Dense> layers(ai.djl.nn.Block head) {
        List<ai.djl.nn.Parameter> ps = new java.util.ArrayList<>(head.getParameters().values());
        List<Dense> layers = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < ps.size(); i += 2) {
            float[] w = ps.get(i).getArray().toFloatArray();
            float[] bias = ps.get(i + 1).getArray().toFloatArray();
            int outs = bias.length;
            int ins = w.length / outs;
            float[][] m = new float[outs][];
            for (int o = 0; o < outs; o++) {
                m[o] = java.util.Arrays.copyOfRange(w, o * ins, (o + 1) * ins);
            }
            layers.add(new Dense(m, bias));
        }
        return layers;
    }

    /** A text classifier on token ids (the encoder's inputs). */
    public static ModelProto text(OnnxFile encoder, Pooling pooling, Standardizer features, List<Dense> head,
            List<String> labels, String prefix, int maxLength) {
        ModelProto src = encoder.model();
        GraphProto g = src.getGraph();
        long opset = encoder.opset();
        String mask = "attention_mask";
        if (g.getInputList().stream().noneMatch(v -> v.getName().equals(mask))) {
            throw new UserException(encoder.path() + " has no attention_mask input; only sentence encoders can be exported as classifiers");
        }
        GraphProto.Builder b = inlined(encoder);
        String hidden = g.getOutput(0).getName();
        String pooled;
        if (pooling == Pooling.POOLER) {
            String out = pooling.graphOutput();
            if (g.getOutputList().stream().noneMatch(v -> v.getName().equals(out))) {
                throw new UserException(encoder.path() + " has no " + out + " output for pooler pooling; the bundle does not match its backbone");
            }
            pooled = out;
        } else if (pooling == Pooling.CLS) {
            b.addInitializer(ints("t4j_zero", new long[] {0}, true));
            b.addNode(node("Gather", List.of(hidden, "t4j_zero"), "t4j_pooled", attrInt("axis", 1)));
            pooled = "t4j_pooled";
        } else {
            b.addNode(node("Cast", List.of(mask), "t4j_mask_f", attrInt("to", TensorProto.DataType.FLOAT_VALUE)));
            b.addInitializer(ints("t4j_axis_last", new long[] {-1}, false));
            b.addInitializer(ints("t4j_axis_1", new long[] {1}, false));
            if (opset >= 13) {
                b.addNode(node("Unsqueeze", List.of("t4j_mask_f", "t4j_axis_last"), "t4j_mask_u"));
            } else {
                b.addNode(node("Unsqueeze", List.of("t4j_mask_f"), "t4j_mask_u", attrInts("axes", -1)));
            }
            b.addNode(node("Mul", List.of(hidden, "t4j_mask_u"), "t4j_masked"));
            reduceSum(b, opset, "t4j_masked", "t4j_sum");
            reduceSum(b, opset, "t4j_mask_u", "t4j_count");
            if (opset >= 11) {
                b.addInitializer(scalar("t4j_min_count", 1e-9f));
                b.addNode(node("Clip", List.of("t4j_count", "t4j_min_count"), "t4j_count_c"));
            } else {
                b.addNode(node("Clip", List.of("t4j_count"), "t4j_count_c", attrFloat("min", 1e-9f)));
            }
            b.addNode(node("Div", List.of("t4j_sum", "t4j_count_c"), "t4j_pooled"));
            pooled = "t4j_pooled";
        }
        return finish(src, b, pooled, features, head, labels,
                List.of(meta("transfer4j.prefix", prefix), meta("transfer4j.max_length", String.valueOf(maxLength)),
                        meta("transfer4j.pooling", pooling.name().toLowerCase(java.util.Locale.ROOT))));
    }

    /**
     * An image classifier on {@code pixels} [N, C, H, W] scaled to [0, 1]: the backbone's per-channel
     * normalisation ((x - mean) / std) runs inside the graph, so a caller needs no recipe but the size.
     *
     * @param features the backbone's feature graph (one input, first output [N, width])
     */
    public static ModelProto image(OnnxFile features, float[] pixelMean, float[] pixelStd, Standardizer standardizer,
            List<Dense> head, List<String> labels) {
        ModelProto src = features.model();
        GraphProto g = src.getGraph();
        if (g.getInputCount() != 1) {
            throw new UserException(features.path() + " has " + g.getInputCount() + " inputs; an image backbone reads one image batch");
        }
        ValueInfoProto in = g.getInput(0);
        int channels = pixelMean.length;
        GraphProto.Builder b = inlined(features).clearNode().clearInput();
        b.addInput(in.toBuilder().setName("pixels"));
        b.addInitializer(floats("t4j_pixel_mean", new long[] {channels, 1, 1}, pixelMean));
        b.addInitializer(floats("t4j_pixel_std", new long[] {channels, 1, 1}, pixelStd));
        b.addNode(node("Sub", List.of("pixels", "t4j_pixel_mean"), "t4j_centred"));
        b.addNode(node("Div", List.of("t4j_centred", "t4j_pixel_std"), in.getName()));
        b.addAllNode(g.getNodeList());
        return finish(src, b, g.getOutput(0).getName(), standardizer, head, labels,
                List.of(meta("transfer4j.input", "pixels: float [N, C, H, W] in [0, 1], normalised inside the graph")));
    }

    /** The source graph without its outputs, external weights read in so the result is one file. */
    private static GraphProto.Builder inlined(OnnxFile source) {
        GraphProto g = source.model().getGraph();
        GraphProto.Builder b = g.toBuilder().clearOutput().clearInitializer();
        for (TensorProto t : g.getInitializerList()) {
            b.addInitializer(t.getDataLocation() == TensorProto.DataLocation.EXTERNAL
                    ? t.toBuilder().clearExternalData().clearDataLocation().setRawData(ByteString.copyFrom(source.rawData(t))).build()
                    : t);
        }
        return b;
    }

    /** What every modality's graph ends in: the head on {@code pooled} and the softmax, pruned and labelled. */
    private static ModelProto finish(ModelProto src, GraphProto.Builder b, String pooled, Standardizer standardizer,
            List<Dense> head, List<String> labels, List<StringStringEntryProto> metadata) {
        float[] mean = standardizer.mean();
        float[] scale = standardizer.scale();
        String x = pooled;
        if (standardizer.unitLength()) {
            // few-shot heads read each row's direction only; this step is not linear, so it stays a node
            b.addNode(node("LpNormalization", List.of(pooled), "t4j_unit_length", attrInt("axis", -1), attrInt("p", 2)));
            x = "t4j_unit_length";
        }
        // Standardisation (x - mean)·scale folded into the first dense layer: W' = W·diag(scale), b' = b - W'·mean.
        for (int i = 0; i < head.size(); i++) {
            Dense d = i == 0 ? fold(head.get(0), mean, scale) : head.get(i);
            b.addInitializer(matrix("t4j_w" + i, d.weight()));
            b.addInitializer(vector("t4j_b" + i, d.bias()));
            String out = i == head.size() - 1 ? "logits" : "t4j_h" + i;
            b.addNode(node("Gemm", List.of(x, "t4j_w" + i, "t4j_b" + i), out, attrInt("transB", 1)));
            if (i < head.size() - 1) {
                b.addNode(node("Relu", List.of(out), out + "_relu"));
                out = out + "_relu";
            }
            x = out;
        }
        b.addNode(node("Softmax", List.of("logits"), "probabilities", attrInt("axis", -1)));
        b.addOutput(output("logits", labels.size()));
        b.addOutput(output("probabilities", labels.size()));
        GraphProto pruned = GraphEdits.pruned(b.build(), b.getNodeList(), b.getInitializerList());
        return src.toBuilder().setGraph(pruned).setProducerName("transfer4j").clearMetadataProps()
                .addMetadataProps(meta("transfer4j.labels", String.join("\n", labels)))
                .addAllMetadataProps(metadata)
                .build();
    }

    static Dense fold(Dense d, float[] mean, float[] scale) {
        float[][] w = new float[d.weight().length][];
        float[] bias = d.bias().clone();
        for (int o = 0; o < w.length; o++) {
            w[o] = new float[mean.length];
            double shift = 0;
            for (int j = 0; j < mean.length; j++) {
                w[o][j] = d.weight()[o][j] * scale[j];
                shift += (double) w[o][j] * mean[j];
            }
            bias[o] -= (float) shift;
        }
        return new Dense(w, bias);
    }

    private static void reduceSum(GraphProto.Builder b, long opset, String in, String out) {
        if (opset >= 13) {
            b.addNode(node("ReduceSum", List.of(in, "t4j_axis_1"), out, attrInt("keepdims", 0)));
        } else {
            b.addNode(node("ReduceSum", List.of(in), out, attrInt("keepdims", 0), attrInts("axes", 1)));
        }
    }

    private static NodeProto node(String op, List<String> in, String out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName("transfer4j/" + out).addAllInput(in).addOutput(out);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    private static AttributeProto attrInt(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto attrFloat(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static AttributeProto attrInts(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static TensorProto ints(String name, long[] v, boolean scalar) {
        ByteBuffer buf = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            buf.putLong(x);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        if (!scalar) {
            t.addDims(v.length);
        }
        return t.build();
    }

    private static TensorProto scalar(String name, float v) {
        return floats(name, new long[0], new float[] {v});
    }

    private static TensorProto vector(String name, float[] v) {
        return floats(name, new long[] {v.length}, v);
    }

    private static TensorProto matrix(String name, float[][] m) {
        float[] flat = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, flat, i * m[0].length, m[0].length);
        }
        return floats(name, new long[] {m.length, m[0].length}, flat);
    }

    private static TensorProto floats(String name, long[] dims, float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static ValueInfoProto output(String name, int classes) {
        TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                .setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(classes)));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tt)).build();
    }

    private static StringStringEntryProto meta(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v == null ? "" : v).build();
    }
}
