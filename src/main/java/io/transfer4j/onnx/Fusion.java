package io.transfer4j.onnx;

import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The interpreter's execution plan: the graph's nodes, with the element-wise spellings exporters
 * write for a layer norm (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add) and for an
 * erf GELU (Div, Erf, Add, Mul, Mul) replaced by one LayerNormalization or Gelu node each. Fewer
 * JNI crossings, and backward saves one tensor where the spelled-out form saved four or five. The
 * stored graph is untouched (export writes it as it was); a pattern is fused only when its
 * intermediate values are read by nothing else, so the result is the same function.
 */
final class Fusion {
    /** One step of the plan: the node to run and the index of the graph node it stands for (adapters are keyed by it). */
    record Step(int index, NodeProto node) {}

    private final List<NodeProto> nodes;
    private final Set<String> outputs;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, List<Integer>> readers = new HashMap<>();
    private final Map<String, Float> scalars = new HashMap<>();
    private final boolean[] removed;
    private final NodeProto[] replaced;

    private Fusion(GraphProto graph, Collection<String> outputs, OnnxFile file) {
        this.nodes = graph.getNodeList();
        this.outputs = new HashSet<>(outputs);
        removed = new boolean[nodes.size()];
        replaced = new NodeProto[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            for (String o : n.getOutputList()) {
                producer.put(o, i);
            }
            for (String in : n.getInputList()) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
            if (n.getOpType().equals("Constant") && n.getAttributeCount() == 1 && n.getAttribute(0).getName().equals("value")) {
                Float v = scalar(n.getAttribute(0).getT(), file);
                if (v != null) {
                    scalars.put(n.getOutput(0), v);
                }
            }
        }
        for (TensorProto t : graph.getInitializerList()) {
            Float v = scalar(t, file);
            if (v != null) {
                scalars.put(t.getName(), v);
            }
        }
    }

    static List<Step> plan(GraphProto graph, Collection<String> outputs, OnnxFile file) {
        Fusion f = new Fusion(graph, outputs, file);
        for (int i = 0; i < f.nodes.size(); i++) {
            String op = f.nodes.get(i).getOpType();
            if (op.equals("ReduceMean")) {
                f.layerNorm(i);
                f.batchNormStyleLayerNorm(i);
            } else if (op.equals("Erf")) {
                f.gelu(i);
            } else if (op.equals("Tanh")) {
                f.tanhGelu(i);
            }
        }
        List<Step> plan = new ArrayList<>();
        for (int i = 0; i < f.nodes.size(); i++) {
            if (!f.removed[i]) {
                plan.add(new Step(i, f.replaced[i] != null ? f.replaced[i] : f.nodes.get(i)));
            }
        }
        return plan;
    }

    /** mean = ReduceMean(x); d = x - mean; var = ReduceMean(d^2); y = d / sqrt(var + eps) * gamma + beta, over the last axis. */
    private void layerNorm(int r1) {
        NodeProto mean = nodes.get(r1);
        if (!lastAxisMean(mean)) {
            return;
        }
        String x = mean.getInput(0);
        Integer sub = soleReader(mean.getOutput(0));
        if (sub == null || !is(sub, "Sub") || !nodes.get(sub).getInput(0).equals(x) || !nodes.get(sub).getInput(1).equals(mean.getOutput(0))) {
            return;
        }
        String d = nodes.get(sub).getOutput(0);
        List<Integer> dReaders = readers.getOrDefault(d, List.of());
        if (dReaders.size() != 2 || outputs.contains(d)) {
            return;
        }
        int pow = is(dReaders.get(0), "Pow") ? dReaders.get(0) : dReaders.get(1);
        int div = pow == dReaders.get(0) ? dReaders.get(1) : dReaders.get(0);
        if (!is(pow, "Pow") || !nodes.get(pow).getInput(0).equals(d) || !scalarIs(nodes.get(pow).getInput(1), 2f)) {
            return;
        }
        Integer r2 = soleReader(nodes.get(pow).getOutput(0));
        if (r2 == null || !is(r2, "ReduceMean") || !lastAxisMean(nodes.get(r2))) {
            return;
        }
        Integer add = soleReader(nodes.get(r2).getOutput(0));
        if (add == null || !is(add, "Add")) {
            return;
        }
        String epsName = other(nodes.get(add), nodes.get(r2).getOutput(0));
        Float eps = epsName == null ? null : scalars.get(epsName);
        Integer sqrt = soleReader(nodes.get(add).getOutput(0));
        if (eps == null || sqrt == null || !is(sqrt, "Sqrt")) {
            return;
        }
        if (!is(div, "Div") || !nodes.get(div).getInput(0).equals(d) || !nodes.get(div).getInput(1).equals(nodes.get(sqrt).getOutput(0))
                || soleReader(nodes.get(sqrt).getOutput(0)) == null) {
            return;
        }
        Integer mul = soleReader(nodes.get(div).getOutput(0));
        if (mul == null || !is(mul, "Mul")) {
            return;
        }
        String gamma = other(nodes.get(mul), nodes.get(div).getOutput(0));
        Integer addB = soleReader(nodes.get(mul).getOutput(0));
        if (gamma == null || addB == null || !is(addB, "Add")) {
            return;
        }
        String beta = other(nodes.get(addB), nodes.get(mul).getOutput(0));
        if (beta == null) {
            return;
        }
        NodeProto fused = NodeProto.newBuilder().setOpType("LayerNormalization").setName(nodes.get(addB).getName() + "/fused")
                .addInput(x).addInput(gamma).addInput(beta).addOutput(nodes.get(addB).getOutput(0))
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(-1))
                .addAttribute(AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT).setF(eps))
                .build();
        replace(fused, addB, r1, sub, pow, r2, add, sqrt, div, mul);
    }

    /**
     * TensorFlow's layer norm (tf.contrib.layers.layer_norm, as BERT's checkpoints spell it): mean =
     * ReduceMean(x); var = ReduceMean((x - mean)^2) (SquaredDifference, imported as Sub and Mul);
     * s = gamma / sqrt(var + eps); y = x * s + (beta - mean * s).
     */
    private void batchNormStyleLayerNorm(int r1) {
        NodeProto mean = nodes.get(r1);
        if (!lastAxisMean(mean) || outputs.contains(mean.getOutput(0))) {
            return;
        }
        String x = mean.getInput(0);
        String m = mean.getOutput(0);
        List<Integer> mr = distinctReaders(m);
        if (mr.size() != 2) {
            return;
        }
        int sub = is(mr.get(0), "Sub") ? mr.get(0) : mr.get(1);
        int mulMean = sub == mr.get(0) ? mr.get(1) : mr.get(0);
        if (!is(sub, "Sub") || !nodes.get(sub).getInput(0).equals(x) || !nodes.get(sub).getInput(1).equals(m) || !is(mulMean, "Mul")) {
            return;
        }
        String d = nodes.get(sub).getOutput(0);
        Integer sq = soleDistinctReader(d);
        if (sq == null || !is(sq, "Mul") || !nodes.get(sq).getInput(0).equals(d) || !nodes.get(sq).getInput(1).equals(d)) {
            return;
        }
        Integer r2 = soleReader(nodes.get(sq).getOutput(0));
        if (r2 == null || !is(r2, "ReduceMean") || !lastAxisMean(nodes.get(r2))) {
            return;
        }
        Integer add = soleReader(nodes.get(r2).getOutput(0));
        String epsName = add == null || !is(add, "Add") ? null : other(nodes.get(add), nodes.get(r2).getOutput(0));
        Float eps = epsName == null ? null : scalars.get(epsName);
        Integer sqrt = eps == null ? null : soleReader(nodes.get(add).getOutput(0));
        Integer rec = sqrt == null || !is(sqrt, "Sqrt") ? null : soleReader(nodes.get(sqrt).getOutput(0));
        Integer scale = rec == null || !is(rec, "Reciprocal") ? null : soleReader(nodes.get(rec).getOutput(0));
        if (scale == null || !is(scale, "Mul")) {
            return;
        }
        String gamma = other(nodes.get(scale), nodes.get(rec).getOutput(0));
        String s = nodes.get(scale).getOutput(0);
        List<Integer> sr = distinctReaders(s);
        if (gamma == null || sr.size() != 2 || outputs.contains(s) || !sr.contains(mulMean)) {
            return;
        }
        int mulX = sr.get(0) == mulMean ? sr.get(1) : sr.get(0);
        if (!is(mulX, "Mul") || !x.equals(other(nodes.get(mulX), s)) || !m.equals(other(nodes.get(mulMean), s))) {
            return;
        }
        Integer shift = soleReader(nodes.get(mulMean).getOutput(0));
        if (shift == null || !is(shift, "Sub") || !nodes.get(shift).getInput(1).equals(nodes.get(mulMean).getOutput(0))) {
            return;
        }
        String beta = nodes.get(shift).getInput(0);
        Integer sum = soleReader(nodes.get(mulX).getOutput(0));
        if (sum == null || !is(sum, "Add") || !nodes.get(shift).getOutput(0).equals(other(nodes.get(sum), nodes.get(mulX).getOutput(0)))
                || soleReader(nodes.get(shift).getOutput(0)) == null) {
            return;
        }
        NodeProto fused = NodeProto.newBuilder().setOpType("LayerNormalization").setName(nodes.get(sum).getName() + "/fused")
                .addInput(x).addInput(gamma).addInput(beta).addOutput(nodes.get(sum).getOutput(0))
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(-1))
                .addAttribute(AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT).setF(eps))
                .build();
        replace(fused, sum, r1, sub, sq, r2, add, sqrt, rec, scale, mulMean, mulX, shift);
    }

    /** y = x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))), BERT's GELU (either order of each product). */
    private void tanhGelu(int tanh) {
        Integer scaled = producer.get(nodes.get(tanh).getInput(0));
        if (scaled == null || !is(scaled, "Mul") || soleReader(nodes.get(scaled).getOutput(0)) == null) {
            return;
        }
        String inner = scalarOperand(nodes.get(scaled), (float) Math.sqrt(2 / Math.PI));
        Integer add = inner == null ? null : producer.get(inner);
        if (add == null || !is(add, "Add") || soleReader(inner) == null) {
            return;
        }
        NodeProto a = nodes.get(add);
        for (int side = 0; side < 2; side++) {
            String x = a.getInput(side);
            Integer cubic = producer.get(a.getInput(1 - side));
            String cube = cubic == null || !is(cubic, "Mul") ? null : scalarOperand(nodes.get(cubic), 0.044715f);
            Integer pow = cube == null ? null : producer.get(cube);
            if (pow == null || !is(pow, "Pow") || !nodes.get(pow).getInput(0).equals(x) || !scalarIs(nodes.get(pow).getInput(1), 3f)
                    || soleReader(cube) == null || soleReader(nodes.get(cubic).getOutput(0)) == null) {
                continue;
            }
            Integer one = soleReader(nodes.get(tanh).getOutput(0));
            if (one == null || !is(one, "Add") || !scalarIs(other(nodes.get(one), nodes.get(tanh).getOutput(0)), 1f)) {
                return;
            }
            Integer half = soleReader(nodes.get(one).getOutput(0));
            String h = half == null || !is(half, "Mul") ? null : nodes.get(half).getOutput(0);
            if (h == null || !scalarIs(other(nodes.get(half), nodes.get(one).getOutput(0)), 0.5f)) {
                return;
            }
            Integer times = soleReader(h);
            if (times == null || !is(times, "Mul") || !x.equals(other(nodes.get(times), h))) {
                return;
            }
            NodeProto fused = NodeProto.newBuilder().setOpType("Gelu").setName(nodes.get(times).getName() + "/fused").addInput(x)
                    .addOutput(nodes.get(times).getOutput(0))
                    .addAttribute(AttributeProto.newBuilder().setName("approximate").setType(AttributeProto.AttributeType.STRING)
                            .setS(com.google.protobuf.ByteString.copyFromUtf8("tanh")))
                    .build();
            replace(fused, times, pow, cubic, add, scaled, tanh, one, half);
            return;
        }
    }

    /** The operand of a binary node that is not the scalar {@code value}, when the other one is; else null. */
    private String scalarOperand(NodeProto n, float value) {
        if (n.getInputCount() != 2) {
            return null;
        }
        if (scalarIs(n.getInput(0), value)) {
            return n.getInput(1);
        }
        return scalarIs(n.getInput(1), value) ? n.getInput(0) : null;
    }

    private List<Integer> distinctReaders(String value) {
        return readers.getOrDefault(value, List.of()).stream().distinct().toList();
    }

    /** The one node reading {@code value} (perhaps as several of its operands), when it is not a graph output. */
    private Integer soleDistinctReader(String value) {
        List<Integer> r = distinctReaders(value);
        return r.size() == 1 && !outputs.contains(value) ? r.get(0) : null;
    }

    /** y = x * (erf(x / sqrt 2) + 1) * 0.5 (either order of each product). */
    private void gelu(int erf) {
        Integer div = producer.get(nodes.get(erf).getInput(0));
        if (div == null || !is(div, "Div") || !scalarIs(nodes.get(div).getInput(1), (float) Math.sqrt(2))
                || soleReader(nodes.get(div).getOutput(0)) == null) {
            return;
        }
        String x = nodes.get(div).getInput(0);
        Integer add = soleReader(nodes.get(erf).getOutput(0));
        if (add == null || !is(add, "Add") || !scalarIs(other(nodes.get(add), nodes.get(erf).getOutput(0)), 1f)) {
            return;
        }
        Integer mul = soleReader(nodes.get(add).getOutput(0));
        if (mul == null || !is(mul, "Mul") || !x.equals(other(nodes.get(mul), nodes.get(add).getOutput(0)))) {
            return;
        }
        Integer half = soleReader(nodes.get(mul).getOutput(0));
        if (half == null || !is(half, "Mul") || !scalarIs(other(nodes.get(half), nodes.get(mul).getOutput(0)), 0.5f)) {
            return;
        }
        NodeProto fused = NodeProto.newBuilder().setOpType("Gelu").setName(nodes.get(half).getName() + "/fused").addInput(x)
                .addOutput(nodes.get(half).getOutput(0)).build();
        replace(fused, half, div, erf, add, mul);
    }

    private void replace(NodeProto fused, int at, int... gone) {
        for (int g : gone) {
            if (removed[g] || replaced[g] != null) {
                return; // already part of another fusion
            }
        }
        for (int g : gone) {
            removed[g] = true;
        }
        replaced[at] = fused;
    }

    private boolean lastAxisMean(NodeProto n) {
        if (n.getInputCount() != 1) {
            return false; // opset 18 takes axes as an input; left as it is
        }
        long keep = 1;
        long[] axes = null;
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("keepdims")) {
                keep = a.getI();
            } else if (a.getName().equals("axes")) {
                axes = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
        }
        return keep == 1 && axes != null && axes.length == 1 && axes[0] == -1;
    }

    /** The one node reading {@code value}, when it is not also a graph output; null otherwise. */
    private Integer soleReader(String value) {
        List<Integer> r = readers.getOrDefault(value, List.of());
        return r.size() == 1 && !outputs.contains(value) ? r.get(0) : null;
    }

    private boolean is(int node, String op) {
        NodeProto n = nodes.get(node);
        return n.getOpType().equals(op) && (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"));
    }

    /** The binary node's operand that is not {@code known}; null if neither or both are. */
    private static String other(NodeProto n, String known) {
        if (n.getInputCount() != 2) {
            return null;
        }
        if (n.getInput(0).equals(known) && !n.getInput(1).equals(known)) {
            return n.getInput(1);
        }
        if (n.getInput(1).equals(known) && !n.getInput(0).equals(known)) {
            return n.getInput(0);
        }
        return null;
    }

    private boolean scalarIs(String name, float value) {
        Float v = name == null ? null : scalars.get(name);
        return v != null && Math.abs(v - value) <= 1e-6f * Math.max(1, Math.abs(value));
    }

    /** A one-element float tensor's value; null for anything else. */
    private static Float scalar(TensorProto t, OnnxFile file) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        if (n != 1 || t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
            return null;
        }
        if (t.getFloatDataCount() == 1) {
            return t.getFloatData(0);
        }
        if (t.hasRawData() || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            byte[] raw = file.rawData(t);
            return raw.length == 4 ? ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getFloat() : null;
        }
        return null;
    }
}
