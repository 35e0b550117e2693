package io.transfer4j.onnx;

import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.onnx.proto.Onnx.ValueInfoProto;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Structural edits of a graph: keep only what given outputs need; cut the graph at inner tensors. */
public final class GraphEdits {
    private GraphEdits() {}

    /** The graph with {@code nodes}, minus every node and initializer its outputs do not need. */
    public static GraphProto pruned(GraphProto g, List<NodeProto> nodes, List<TensorProto> initializers) {
        List<NodeProto> live = new ArrayList<>(nodes);
        boolean changed = true;
        while (changed) {
            Set<String> needed = new HashSet<>();
            live.forEach(n -> needed.addAll(n.getInputList()));
            g.getOutputList().forEach(o -> needed.add(o.getName()));
            changed = live.removeIf(n -> n.getOutputList().stream().noneMatch(needed::contains));
        }
        Set<String> used = new HashSet<>();
        live.forEach(n -> used.addAll(n.getInputList()));
        g.getOutputList().forEach(o -> used.add(o.getName()));
        GraphProto.Builder b = g.toBuilder().clearNode().addAllNode(live).clearInitializer();
        initializers.stream().filter(t -> used.contains(t.getName())).forEach(b::addInitializer);
        List<ValueInfoProto> inputs = g.getInputList().stream()
                .filter(v -> used.contains(v.getName()) || g.getInitializerList().stream().noneMatch(t -> t.getName().equals(v.getName())))
                .toList();
        return b.clearInput().addAllInput(inputs).build();
    }

    /**
     * The graph ending at the named tensors (e.g. "/encoder/layer.3/output/LayerNorm/Add_1_output_0"),
     * to take features from an inner layer; nodes after them are dropped.
     */
    public static OnnxFile cutAt(OnnxFile f, List<String> tensors) {
        GraphProto g = f.model().getGraph();
        Set<String> made = new HashSet<>();
        g.getNodeList().forEach(n -> made.addAll(n.getOutputList()));
        for (String t : tensors) {
            if (!made.contains(t)) {
                throw new UserException("no node of " + f.path() + " makes '" + t
                        + "'; pick a node output (see `onnx inspect`, or a node name's output)");
            }
        }
        GraphProto.Builder b = g.toBuilder().clearOutput();
        for (String t : tensors) {
            // an existing graph output keeps its declared type and shape (readers take the width from it)
            ValueInfoProto known = java.util.stream.Stream.concat(g.getOutputList().stream(), g.getValueInfoList().stream())
                    .filter(v -> v.getName().equals(t)).findFirst().orElse(null);
            b.addOutput(known != null ? known : ValueInfoProto.newBuilder().setName(t)
                    .setType(io.transfer4j.onnx.proto.Onnx.TypeProto.newBuilder()
                            .setTensorType(io.transfer4j.onnx.proto.Onnx.TypeProto.Tensor.newBuilder()
                                    .setElemType(TensorProto.DataType.FLOAT_VALUE))).build());
        }
        GraphProto cut = b.build();
        GraphProto pruned = pruned(cut, cut.getNodeList(), cut.getInitializerList());
        ModelProto m = f.model().toBuilder().setGraph(pruned).build();
        return f.withModel(m);
    }
}
