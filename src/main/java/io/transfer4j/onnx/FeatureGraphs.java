package io.transfer4j.onnx;

import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.onnx.proto.Onnx.TensorShapeProto;
import io.transfer4j.onnx.proto.Onnx.TypeProto;
import io.transfer4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.List;

/**
 * Turns any image network into a feature extractor: the graph cut at a named tensor, that tensor
 * pooled to one vector per image (global average over space for [N, C, H, W], over positions for
 * [N, T, C]), and weights stored as Constant nodes (as Paddle's exporter writes them) lifted into
 * initializers so that the importer can train them.
 */
public final class FeatureGraphs {
    public static final String OUTPUT = "features";

    private FeatureGraphs() {}

    /**
     * The tensor a classifier's head reads, a good default feature layer: the data input of the
     * last MatMul or Gemm node, or the graph's first output when there is none.
     */
    public static String penultimate(OnnxFile f) {
        GraphProto g = f.model().getGraph();
        java.util.Set<String> init = new java.util.HashSet<>();
        g.getInitializerList().forEach(t -> init.add(t.getName()));
        for (int i = g.getNodeCount() - 1; i >= 0; i--) {
            NodeProto n = g.getNode(i);
            if ((n.getOpType().equals("MatMul") || n.getOpType().equals("Gemm")) && n.getInputCount() >= 2) {
                return n.getInput(0);
            }
        }
        return g.getOutput(0).getName();
    }

    /** The graph ending at {@code tensor} (of rank {@code rank}), pooled to [N, C] as {@link #OUTPUT}. */
    public static OnnxFile pooledAt(OnnxFile f, String tensor, int rank) {
        OnnxFile cut = GraphEdits.cutAt(f, List.of(tensor));
        GraphProto.Builder b = cut.model().getGraph().toBuilder().clearOutput();
        if (tensor.equals(OUTPUT)) {
            // the layer already bears the output's name (a transfer4j feature graph): rename it, or it would be defined twice
            tensor = OUTPUT + "_in";
            for (int i = 0; i < b.getNodeCount(); i++) {
                NodeProto.Builder n = b.getNode(i).toBuilder();
                for (int k = 0; k < n.getOutputCount(); k++) {
                    if (n.getOutput(k).equals(OUTPUT)) {
                        n.setOutput(k, tensor);
                    }
                }
                for (int k = 0; k < n.getInputCount(); k++) {
                    if (n.getInput(k).equals(OUTPUT)) {
                        n.setInput(k, tensor);
                    }
                }
                b.setNode(i, n);
            }
        }
        long opset = cut.opset();
        switch (rank) {
            case 4 -> {
                b.addNode(NodeProto.newBuilder().setOpType("GlobalAveragePool").setName("transfer4j/pool").addInput(tensor)
                        .addOutput("transfer4j_pooled"));
                b.addNode(NodeProto.newBuilder().setOpType("Flatten").setName("transfer4j/flatten").addInput("transfer4j_pooled")
                        .addOutput(OUTPUT).addAttribute(AttributeProto.newBuilder().setName("axis")
                                .setType(AttributeProto.AttributeType.INT).setI(1)));
            }
            case 3 -> {
                NodeProto.Builder n = NodeProto.newBuilder().setOpType("ReduceMean").setName("transfer4j/pool").addInput(tensor)
                        .addOutput(OUTPUT).addAttribute(AttributeProto.newBuilder().setName("keepdims")
                                .setType(AttributeProto.AttributeType.INT).setI(0));
                if (opset >= 18) {
                    b.addInitializer(TensorProto.newBuilder().setName("transfer4j_axis1").setDataType(TensorProto.DataType.INT64_VALUE)
                            .addDims(1).addInt64Data(1));
                    n.addInput("transfer4j_axis1");
                } else {
                    n.addAttribute(AttributeProto.newBuilder().setName("axes").setType(AttributeProto.AttributeType.INTS).addInts(1));
                }
                b.addNode(n);
            }
            case 2 -> b.addNode(NodeProto.newBuilder().setOpType("Identity").setName("transfer4j/features").addInput(tensor)
                    .addOutput(OUTPUT));
            default -> throw new io.transfer4j.util.UserException("the feature layer '" + tensor + "' has rank " + rank
                    + "; pick a tensor of shape [N, C, H, W], [N, T, C] or [N, C] (see `onnx inspect`)");
        }
        b.addOutput(ValueInfoProto.newBuilder().setName(OUTPUT).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("features"))))));
        ModelProto m = cut.model().toBuilder().setGraph(liftConstants(b.build())).build();
        return cut.withModel(m);
    }

    /**
     * Float Constant nodes of more than one value (weights, as Paddle exports them) become
     * initializers of the same name; scalars and integer constants (shapes, bounds) stay nodes.
     */
    static GraphProto liftConstants(GraphProto g) {
        GraphProto.Builder b = g.toBuilder().clearNode();
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getAttributeCount() == 1 && n.getAttribute(0).getName().equals("value")) {
                TensorProto t = n.getAttribute(0).getT();
                long size = t.getDimsList().stream().reduce(1L, (x, y) -> x * y);
                if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE && t.getDimsCount() >= 1 && size > 1) {
                    b.addInitializer(t.toBuilder().setName(n.getOutput(0)));
                    continue;
                }
            }
            b.addNode(n);
        }
        return b.build();
    }
}
