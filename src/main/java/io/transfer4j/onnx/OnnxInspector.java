package io.transfer4j.onnx;

import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.onnx.proto.Onnx.TensorShapeProto;
import io.transfer4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Summarises an ONNX graph: its interface, op mix, weights, parameter groups and unsupported ops. */
public final class OnnxInspector {
    private OnnxInspector() {}

    public static Inspection inspect(OnnxFile f, Set<String> supportedOps) {
        GraphProto g = f.model().getGraph();
        Map<String, Integer> hist = new HashMap<>();
        Map<String, List<String>> unsupported = new LinkedHashMap<>();
        for (NodeProto n : g.getNodeList()) {
            String op = opKey(n);
            hist.merge(op, 1, Integer::sum);
            if (!supportedOps.contains(op)) {
                unsupported.computeIfAbsent(op, k -> new ArrayList<>()).add(n.getName().isEmpty() ? n.getOutput(0) : n.getName());
            }
        }
        Map<String, Integer> sorted = hist.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        Map<String, String> groupOf = ParameterGroups.of(g);
        Map<String, Long> groups = new LinkedHashMap<>();
        long floats = 0;
        long others = 0;
        for (TensorProto t : g.getInitializerList()) {
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= d;
            }
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                floats += n;
                groups.merge(groupOf.get(t.getName()), n, Long::sum);
            } else {
                others += n;
            }
        }
        Set<String> inits = g.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
        List<String> inputs = g.getInputList().stream().filter(v -> !inits.contains(v.getName()))
                .map(OnnxInspector::describe).toList();
        List<String> outputs = g.getOutputList().stream().map(OnnxInspector::describe).toList();
        return new Inspection(f.path().toString(), f.model().getIrVersion(), f.opset(),
                (f.model().getProducerName() + " " + f.model().getProducerVersion()).strip(), inputs, outputs, sorted,
                g.getInitializerCount(), floats, others, groups, unsupported);
    }

    /** Op type, prefixed by its domain when not the default one (e.g. "com.microsoft:FusedMatMul"). */
    public static String opKey(NodeProto n) {
        String d = n.getDomain();
        return d.isEmpty() || d.equals("ai.onnx") ? n.getOpType() : d + ":" + n.getOpType();
    }

    static String describe(ValueInfoProto v) {
        StringBuilder sb = new StringBuilder(v.getName()).append(' ');
        if (!v.getType().hasTensorType()) {
            return sb.append("(non-tensor)").toString();
        }
        sb.append(TensorTypes.name(v.getType().getTensorType().getElemType())).append('[');
        List<String> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            dims.add(d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
        }
        return sb.append(String.join(", ", dims)).append(']').toString();
    }
}
