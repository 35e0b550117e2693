package io.transfer4j.tensorflow;

import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.tensorflow.proto.Tf.AttrValue;
import io.transfer4j.tensorflow.proto.Tf.DataType;
import io.transfer4j.tensorflow.proto.Tf.NodeDef;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.List;

/**
 * One TensorFlow node while it is being converted: its attributes, its inputs as ONNX tensor
 * names, their constant values and ranks where the graph knows them, and the ONNX nodes it emits.
 * Every emitted node is named under the TensorFlow node's scope, so layer groups and cut points
 * follow the original module structure.
 */
final class TfNode {
    private final GraphConverter graph;
    private final NodeDef def;
    private final List<String> dataInputs;
    private final String onnxName;
    private int helpers;

    TfNode(GraphConverter graph, NodeDef def, List<String> dataInputs, String onnxName) {
        this.graph = graph;
        this.def = def;
        this.dataInputs = dataInputs;
        this.onnxName = onnxName;
    }

    NodeDef def() {
        return def;
    }

    int inputCount() {
        return dataInputs.size();
    }

    /** The ONNX tensor holding data input {@code i}. */
    String in(int i) {
        return graph.onnxTensor(dataInputs.get(i));
    }

    /** Input {@code i}'s integer value when it is a constant, else null. */
    long[] constInts(int i) {
        return graph.constInts(dataInputs.get(i));
    }

    long[] requireConstInts(int i, String what) {
        long[] v = constInts(i);
        if (v == null) {
            throw unsupported(what + " must be a constant");
        }
        return v;
    }

    /** The rank of input {@code i}, or -1 when the graph does not say. */
    int rank(int i) {
        return graph.rank(dataInputs.get(i));
    }

    int requireRank(int i) {
        int r = rank(i);
        if (r < 0) {
            throw unsupported("the rank of input " + i + " is unknown (the graph records no _output_shapes)");
        }
        return r;
    }

    AttrValue attr(String name) {
        return def.getAttrOrDefault(name, null);
    }

    boolean attrBool(String name, boolean dflt) {
        AttrValue a = attr(name);
        return a == null ? dflt : a.getB();
    }

    long attrInt(String name, long dflt) {
        AttrValue a = attr(name);
        return a == null ? dflt : a.getI();
    }

    String attrString(String name, String dflt) {
        AttrValue a = attr(name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    long[] attrInts(String name) {
        AttrValue a = attr(name);
        return a == null ? new long[0] : a.getList().getIList().stream().mapToLong(Long::longValue).toArray();
    }

    DataType attrType(String name) {
        AttrValue a = attr(name);
        return a == null ? DataType.DT_INVALID : a.getType();
    }

    /** Output {@code k} of this node now lives in the ONNX tensor {@code tensor} (no node emitted). */
    void alias(int k, String tensor) {
        graph.alias(def.getName() + ":" + k, tensor);
    }

    /** Emits the node producing this TensorFlow node's output 0; returns its ONNX output. */
    String emit(String opType, List<String> inputs, AttributeProto... attrs) {
        String out = onnxName + "_output_0";
        add(onnxName, opType, inputs, out, attrs);
        graph.alias(def.getName() + ":0", out);
        return out;
    }

    /** Emits a helper node feeding the main one; returns its output. */
    String helper(String opType, List<String> inputs, AttributeProto... attrs) {
        String name = onnxName + "_" + opType + "_" + (helpers++);
        String out = name + "_output_0";
        add(name, opType, inputs, out, attrs);
        return out;
    }

    String constantVector(long... values) {
        return graph.constant(onnxName + "_const_" + (helpers++), TfTensors.longs(values, new long[] {values.length}));
    }

    String constantScalarFloat(float v) {
        return constant(TfTensors.floatScalar(v));
    }

    String constant(TensorProto t) {
        return graph.constant(onnxName + "_const_" + (helpers++), t);
    }

    private void add(String name, String opType, List<String> inputs, String out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(opType).addAllInput(new ArrayList<>(inputs)).addOutput(out);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.add(n.build());
    }

    UserException unsupported(String why) {
        return new UserException("TensorFlow node " + def.getName() + " (" + def.getOp() + ") cannot be imported: " + why);
    }

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }
}
