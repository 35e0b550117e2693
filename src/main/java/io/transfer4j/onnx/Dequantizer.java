package io.transfer4j.onnx;

import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a dynamically quantised graph (ONNX Runtime's quantize_dynamic: int8/uint8 weights,
 * DynamicQuantizeLinear on activations, MatMulInteger, DequantizeLinear) into the float graph it
 * approximates, so every weight becomes a trainable float parameter:
 * <ul>
 *   <li>MatMulInteger(DQL(x), Wq) · Cast · Mul(scale_x · scale_W) becomes MatMul(x, W), with
 *       W = (Wq - zero_W) · scale_W;</li>
 *   <li>DequantizeLinear of a weight, or of a Gather from a quantised table, becomes the float
 *       weight (or a Gather from the float table).</li>
 * </ul>
 * Nodes left without consumers are removed. Activations are no longer quantised, so outputs differ
 * from ONNX Runtime's int8 run by the activation quantisation error (measured by onnx check).
 */
public final class Dequantizer {
    private Dequantizer() {}

    public static boolean isQuantized(GraphProto g) {
        return g.getNodeList().stream().anyMatch(n -> n.getOpType().equals("MatMulInteger")
                || n.getOpType().equals("DequantizeLinear") || n.getOpType().equals("DynamicQuantizeLinear"));
    }

    public static OnnxFile dequantize(OnnxFile f) {
        GraphProto g = f.model().getGraph();
        if (!isQuantized(g)) {
            return f;
        }
        Map<String, TensorProto> inits = new LinkedHashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Map<String, NodeProto> producer = new HashMap<>();
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            n.getOutputList().forEach(o -> producer.put(o, n));
            n.getInputList().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
        }
        Map<NodeProto, NodeProto> replace = new HashMap<>();
        Set<NodeProto> drop = new HashSet<>();
        List<TensorProto> added = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("MatMulInteger")) {
                rewriteMatMulInteger(f, n, inits, producer, consumers, replace, drop, added);
            } else if (n.getOpType().equals("DequantizeLinear")) {
                rewriteDequantize(f, n, inits, producer, replace, drop, added);
            }
        }
        List<NodeProto> nodes = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (replace.containsKey(n)) {
                nodes.add(replace.get(n));
            } else if (!drop.contains(n)) {
                nodes.add(n);
            }
        }
        List<TensorProto> initializers = new ArrayList<>(inits.values());
        initializers.addAll(added);
        GraphProto out = GraphEdits.pruned(g, nodes, initializers);
        ModelProto m = f.model().toBuilder().setGraph(out).build();
        return f.withModel(m);
    }

    private static void rewriteMatMulInteger(OnnxFile f, NodeProto mmi, Map<String, TensorProto> inits,
            Map<String, NodeProto> producer, Map<String, List<NodeProto>> consumers, Map<NodeProto, NodeProto> replace,
            Set<NodeProto> drop, List<TensorProto> added) {
        NodeProto dql = producer.get(mmi.getInput(0));
        TensorProto wq = inits.get(mmi.getInput(1));
        List<NodeProto> casts = consumers.getOrDefault(mmi.getOutput(0), List.of());
        if (dql == null || !dql.getOpType().equals("DynamicQuantizeLinear") || wq == null || casts.size() != 1
                || !casts.get(0).getOpType().equals("Cast")) {
            return;
        }
        NodeProto cast = casts.get(0);
        List<NodeProto> muls = consumers.getOrDefault(cast.getOutput(0), List.of());
        if (muls.size() != 1 || !muls.get(0).getOpType().equals("Mul")) {
            return;
        }
        NodeProto mul = muls.get(0);
        String scaleName = mul.getInput(0).equals(cast.getOutput(0)) ? mul.getInput(1) : mul.getInput(0);
        NodeProto scaleMul = producer.get(scaleName);
        if (scaleMul == null || !scaleMul.getOpType().equals("Mul")) {
            return;
        }
        String xScale = dql.getOutput(1);
        String wScaleName = scaleMul.getInput(0).equals(xScale) ? scaleMul.getInput(1) : scaleMul.getInput(0);
        TensorProto wScale = inits.get(wScaleName);
        TensorProto wZero = mmi.getInputCount() > 3 ? inits.get(mmi.getInput(3)) : null;
        if (wScale == null) {
            return;
        }
        String name = mmi.getInput(1) + "_dequantized";
        if (!inits.containsKey(name) && added.stream().noneMatch(t -> t.getName().equals(name))) {
            added.add(dequantized(f, name, wq, wScale, wZero, 1));
        }
        NodeProto matmul = NodeProto.newBuilder().setOpType("MatMul").setName(mmi.getName() + "_float")
                .addInput(dql.getInput(0)).addInput(name).addOutput(mul.getOutput(0)).build();
        replace.put(mul, matmul);
        drop.add(mmi);
        drop.add(cast);
    }

    private static void rewriteDequantize(OnnxFile f, NodeProto dq, Map<String, TensorProto> inits,
            Map<String, NodeProto> producer, Map<NodeProto, NodeProto> replace, Set<NodeProto> drop, List<TensorProto> added) {
        TensorProto scale = inits.get(dq.getInput(1));
        TensorProto zero = dq.getInputCount() > 2 ? inits.get(dq.getInput(2)) : null;
        int axis = (int) dq.getAttributeList().stream().filter(a -> a.getName().equals("axis"))
                .mapToLong(AttributeProto::getI).findFirst().orElse(1);
        if (scale == null) {
            return;
        }
        TensorProto q = inits.get(dq.getInput(0));
        if (q != null) {
            added.add(dequantized(f, dq.getOutput(0), q, scale, zero, axis));
            drop.add(dq);
            return;
        }
        NodeProto gather = producer.get(dq.getInput(0));
        boolean perTensor = scale.getDimsCount() == 0 || (scale.getDimsCount() == 1 && scale.getDims(0) == 1);
        if (gather != null && gather.getOpType().equals("Gather") && inits.containsKey(gather.getInput(0)) && perTensor) {
            String name = gather.getInput(0) + "_dequantized";
            if (added.stream().noneMatch(t -> t.getName().equals(name))) {
                added.add(dequantized(f, name, inits.get(gather.getInput(0)), scale, zero, axis));
            }
            replace.put(dq, gather.toBuilder().setInput(0, name).setOutput(0, dq.getOutput(0)).setName(gather.getName() + "_float").build());
            drop.add(gather);
        }
    }

    /** (q - zero) * scale as a float tensor; scale and zero are scalars or vectors along {@code axis}. */
    static TensorProto dequantized(OnnxFile f, String name, TensorProto q, TensorProto scale, TensorProto zero, int axis) {
        long[] dims = q.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        boolean signed = q.getDataType() == TensorProto.DataType.INT8_VALUE;
        byte[] qb = bytes(f, q, n);
        float[] s = floats(f, scale);
        int[] z = zero == null ? new int[] {0} : ints(f, zero);
        int ax = axis < 0 ? axis + dims.length : axis;
        long inner = 1;
        for (int k = ax + 1; k < dims.length; k++) {
            inner *= dims[k];
        }
        long axisLen = dims.length == 0 ? 1 : dims[ax];
        ByteBuffer out = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int c = s.length == 1 ? 0 : (int) ((i / inner) % axisLen);
            int v = signed ? qb[i] : (qb[i] & 0xff);
            out.putFloat((v - z[z.length == 1 ? 0 : c]) * s[c]);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(com.google.protobuf.ByteString.copyFrom(out.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static byte[] bytes(OnnxFile f, TensorProto t, int n) {
        if (t.hasRawData() || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return f.rawData(t);
        }
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) t.getInt32Data(i);
        }
        return b;
    }

    private static float[] floats(OnnxFile f, TensorProto t) {
        if (t.getFloatDataCount() > 0) {
            float[] v = new float[t.getFloatDataCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = t.getFloatData(i);
            }
            return v;
        }
        ByteBuffer b = ByteBuffer.wrap(f.rawData(t)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    private static int[] ints(OnnxFile f, TensorProto t) {
        boolean signed = t.getDataType() == TensorProto.DataType.INT8_VALUE;
        if (t.getInt32DataCount() > 0) {
            return t.getInt32DataList().stream().mapToInt(Integer::intValue).toArray();
        }
        byte[] b = f.rawData(t);
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = signed ? b[i] : b[i] & 0xff;
        }
        return v;
    }
}
