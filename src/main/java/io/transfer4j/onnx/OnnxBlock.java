package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.onnx.proto.Onnx.ValueInfoProto;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An ONNX graph as a trainable DJL block: the nodes run in topological order on NDArrays, so
 * autograd flows through the whole graph. Float initializers become named {@link Parameter}s
 * (trainable or frozen like any DJL parameter); other initializers are constants. Every op the
 * graph uses is checked at import, and all unsupported ones are reported at once.
 */
public final class OnnxBlock extends AbstractBlock {
    private final OnnxFile file;
    private final GraphProto graph;
    private final long opset;
    private final List<ValueInfoProto> inputs;
    private final List<String> outputs;
    private final Map<String, Parameter> weights = new LinkedHashMap<>();
    private final Map<String, NDArray> constants = new HashMap<>();
    private final Map<String, String> groups;
    /** Low-rank adapters by the index of the MatMul/Gemm/Conv node whose weight they adapt. */
    private final Map<Integer, Adapter> adapters = new LinkedHashMap<>();
    /** Computed on the first forward pass; the graph never changes after construction. */
    private List<Fusion.Step> plan;
    private Liveness liveness;
    private DenseKernels kernels = DenseKernels.FP32;

    /** A LoRA pair on one weight: the node computes x·W + scale·(x·A)·B. */
    /**
     * @param transposed a Gemm reading its weight transposed
     * @param conv a convolution's adapter: A a convolution to {@code rank} channels with the node's own kernel, strides,
     *     pads and dilations, B a 1x1 convolution back to the node's output channels (as PEFT's LoRA for Conv2d)
     */
    private record Adapter(String weight, Parameter a, Parameter b, float scale, boolean transposed, boolean conv) {}

    private OnnxBlock(OnnxFile loaded, NDManager manager) {
        OnnxFile file = loaded;
        GraphProto source = file.model().getGraph();
        this.opset = file.opset();
        Set<String> init = source.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
        this.inputs = source.getInputList().stream().filter(v -> !init.contains(v.getName())).toList();
        this.outputs = source.getOutputList().stream().map(ValueInfoProto::getName).toList();
        this.groups = ParameterGroups.of(source);
        Map<String, Parameter.Type> running = new HashMap<>();
        for (NodeProto n : source.getNodeList()) {
            if (n.getOpType().equals("BatchNormalization") && n.getInputCount() >= 5) {
                running.put(n.getInput(3), Parameter.Type.RUNNING_MEAN);
                running.put(n.getInput(4), Parameter.Type.RUNNING_VAR);
            }
        }
        for (TensorProto t : source.getInitializerList()) {
            NDArray a = Tensors.toNDArray(manager, t, file);
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                // BatchNorm running statistics are state, updated by the op while training, never by gradients.
                Parameter.Type type = running.getOrDefault(t.getName(),
                        t.getDimsCount() >= 2 ? Parameter.Type.WEIGHT : Parameter.Type.BIAS);
                Parameter p = Parameter.builder().setName(t.getName()).setType(type)
                        .optRequiresGrad(!running.containsKey(t.getName())).optArray(a).build();
                weights.put(t.getName(), addParameter(p));
            } else {
                constants.put(t.getName(), a);
            }
        }
        // The parameters now hold the weights; the graph kept for planning and export need not hold a
        // second copy on the Java heap (438 MB for BERT-Base). Small ones stay: fusion reads scalars.
        this.file = file.withModel(withoutWeightBytes(file.model(), weights.keySet()));
        this.graph = this.file.model().getGraph();
    }

    private static final int KEPT_ELEMENTS = 64;

    private static io.transfer4j.onnx.proto.Onnx.ModelProto withoutWeightBytes(io.transfer4j.onnx.proto.Onnx.ModelProto m,
            Set<String> parameters) {
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            long n = t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (x, y) -> x * y);
            if (parameters.contains(t.getName()) && n > KEPT_ELEMENTS) {
                g.setInitializer(i, t.toBuilder().clearRawData().clearFloatData().clearExternalData()
                        .setDataLocation(TensorProto.DataLocation.DEFAULT));
            }
        }
        return m.toBuilder().setGraph(g).build();
    }

    /**
     * Imports the graph; its float weights are created on {@code manager} (usually the model's). A
     * dynamically quantised graph is first turned into the float graph it approximates
     * ({@link Dequantizer}), so its weights can be fine-tuned.
     */
    public static OnnxBlock load(OnnxFile original, NDManager manager) {
        OnnxFile file = Dequantizer.dequantize(original);
        Inspection insp = OnnxInspector.inspect(file, Ops.supported());
        if (!insp.unsupported().isEmpty()) {
            List<String> parts = new ArrayList<>();
            insp.unsupported().forEach((op, nodes) -> parts.add(op + " (" + nodes.size() + " node" + (nodes.size() > 1 ? "s" : "")
                    + ", e.g. " + nodes.get(0) + ")"));
            throw new UserException(file.path() + " uses ops transfer4j cannot execute yet: " + String.join(", ", parts)
                    + "; run `onnx inspect` for the full list");
        }
        checkTopologicalOrder(file);
        GraphProto g = file.model().getGraph();
        for (ValueInfoProto v : concat(g.getInputList(), g.getOutputList())) {
            if (!v.getType().hasTensorType()) {
                throw new UserException(file.path() + ": '" + v.getName()
                        + "' is a sequence, map or optional value; only tensor inputs and outputs are supported yet");
            }
        }
        return new OnnxBlock(file, manager);
    }

    private static List<ValueInfoProto> concat(List<ValueInfoProto> a, List<ValueInfoProto> b) {
        List<ValueInfoProto> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void checkTopologicalOrder(OnnxFile f) {
        GraphProto g = f.model().getGraph();
        Set<String> known = new HashSet<>();
        g.getInputList().forEach(v -> known.add(v.getName()));
        g.getInitializerList().forEach(t -> known.add(t.getName()));
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !known.contains(in)) {
                    throw new UserException(f.path() + ": node '" + n.getName() + "' reads '" + in
                            + "' before any node makes it; the graph is not in topological order or is damaged");
                }
            }
            known.addAll(n.getOutputList());
        }
    }

    /**
     * The number format of this block's dense products from now on (AUTO resolved on this CPU);
     * weights stay fp32 whatever it is. Returns the precision in effect, FP32 or BF16.
     */
    public Precision setPrecision(Precision precision) {
        kernels = DenseKernels.of(precision);
        return precision.resolve();
    }

    /** The graph this block executes (after dequantisation, when the source was quantised). */
    public OnnxFile source() {
        return file;
    }

    /** Each float initializer's current value (the trained one, after fine-tuning). */
    public Map<String, NDArray> weightValues() {
        Map<String, NDArray> m = new LinkedHashMap<>();
        weights.forEach((k, p) -> m.put(k, p.getArray()));
        for (Adapter ad : adapters.values()) {
            NDArray w = m.get(ad.weight());
            NDArray delta;
            if (ad.conv()) {
                // merged: W[o,i,k..] + scale·Σ_r B[o,r]·A[r,i,k..]: the 1x1 convolution after A is a matrix product over r
                NDArray a = ad.a().getArray();
                NDArray b = ad.b().getArray();
                delta = b.reshape(b.getShape().get(0), b.getShape().get(1)).matMul(a.reshape(a.getShape().get(0), -1))
                        .reshape(w.getShape()).mul(ad.scale());
            } else {
                // merged: W + scale·A·B (transposed for a Gemm that reads W transposed)
                delta = ad.a().getArray().matMul(ad.b().getArray()).mul(ad.scale());
                delta = ad.transposed() ? delta.transpose() : delta;
            }
            m.put(ad.weight(), w.add(delta));
        }
        return m;
    }

    /**
     * Adds LoRA adapters of rank {@code rank} to every MatMul (weight as second input) and Gemm
     * whose 2-D float weight, and every ungrouped 1-D or 2-D Conv whose kernel, is chosen by
     * {@code choose} (given weight name, consuming node name and the weight's group). A starts
     * uniform in ±1/sqrt(fan-in), B at zero, so the block computes exactly what it did before
     * training. Returns the adapted weights' names.
     */
    public List<String> addLora(int rank, float alpha, LoraTarget choose, NDManager manager) {
        List<String> adapted = new ArrayList<>();
        List<NodeProto> nodes = graph.getNodeList();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (n.getOpType().equals("Conv")) {
                if (addConvLora(i, n, rank, alpha, choose, manager)) {
                    adapted.add(n.getInput(1));
                }
                continue;
            }
            boolean gemm = n.getOpType().equals("Gemm");
            if (!(n.getOpType().equals("MatMul") || gemm) || n.getInputCount() < 2 || adapters.containsKey(i)) {
                continue;
            }
            Parameter w = weights.get(n.getInput(1));
            if (w == null || w.getArray().getShape().dimension() != 2
                    || !choose.test(n.getInput(1), n.getName(), groups.getOrDefault(n.getInput(1), "graph"))) {
                continue;
            }
            boolean transposed = gemm && new OpCall(n, new NDArray[0], null, opset, file, false).attrInt("transB", 0) == 1;
            if (gemm && (new OpCall(n, new NDArray[0], null, opset, file, false).attrInt("transA", 0) != 0
                    || new OpCall(n, new NDArray[0], null, opset, file, false).attrFloat("alpha", 1f) != 1f)) {
                continue;
            }
            long[] shape = w.getArray().getShape().getShape();
            long in = transposed ? shape[1] : shape[0];
            long out = transposed ? shape[0] : shape[1];
            float bound = (float) (1 / Math.sqrt(in));
            NDArray a = manager.randomUniform(-bound, bound, new Shape(in, rank));
            NDArray b = manager.zeros(new Shape(rank, out));
            Parameter pa = addParameter(Parameter.builder().setName(n.getInput(1) + ".lora_A").setType(Parameter.Type.WEIGHT)
                    .optRequiresGrad(true).optArray(a).build());
            Parameter pb = addParameter(Parameter.builder().setName(n.getInput(1) + ".lora_B").setType(Parameter.Type.WEIGHT)
                    .optRequiresGrad(true).optArray(b).build());
            adapters.put(i, new Adapter(n.getInput(1), pa, pb, alpha / rank, transposed, false));
            adapted.add(n.getInput(1));
        }
        return adapted;
    }

    private boolean addConvLora(int index, NodeProto n, int rank, float alpha, LoraTarget choose, NDManager manager) {
        Parameter w = n.getInputCount() < 2 || adapters.containsKey(index) ? null : weights.get(n.getInput(1));
        if (w == null || !choose.test(n.getInput(1), n.getName(), groups.getOrDefault(n.getInput(1), "graph"))) {
            return false;
        }
        Shape ws = w.getArray().getShape();
        // A depthwise or grouped kernel has no low-rank product over its input channels to adapt.
        if ((ws.dimension() != 3 && ws.dimension() != 4) || new OpCall(n, new NDArray[0], null, opset, file, false).attrInt("group", 1) != 1) {
            return false;
        }
        long out = ws.get(0);
        long fanIn = ws.size() / out;
        float bound = (float) (1 / Math.sqrt(fanIn));
        long[] aShape = ws.getShape().clone();
        aShape[0] = rank;
        long[] bShape = new long[ws.dimension()];
        java.util.Arrays.fill(bShape, 1);
        bShape[0] = out;
        bShape[1] = rank;
        Parameter pa = addParameter(Parameter.builder().setName(n.getInput(1) + ".lora_A").setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(true).optArray(manager.randomUniform(-bound, bound, new Shape(aShape))).build());
        Parameter pb = addParameter(Parameter.builder().setName(n.getInput(1) + ".lora_B").setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(true).optArray(manager.zeros(new Shape(bShape))).build());
        adapters.put(index, new Adapter(n.getInput(1), pa, pb, alpha / rank, false, true));
        return true;
    }

    /** Chooses the weights LoRA adapts. */
    @FunctionalInterface
    public interface LoraTarget {
        /** Every ungrouped convolution and dense weight of the network: a CNN's default. */
        LoraTarget EVERY_WEIGHT = (weight, node, group) -> true;

        boolean test(String weight, String node, String group);
    }

    /** The structural group of a parameter of this block (LoRA factors share their weight's group). */
    public String groupOf(String parameterName) {
        String base = parameterName.endsWith(".lora_A") || parameterName.endsWith(".lora_B")
                ? parameterName.substring(0, parameterName.length() - 7) : parameterName;
        return groups.getOrDefault(base, "graph");
    }

    public static boolean isAdapter(String parameterName) {
        return parameterName.endsWith(".lora_A") || parameterName.endsWith(".lora_B");
    }

    /** Groups in the order the graph first uses them, from the input up. */
    public List<String> groupOrder() {
        List<String> order = new ArrayList<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                if (weights.containsKey(in)) {
                    String g = groups.getOrDefault(in, "graph");
                    if (!order.contains(g)) {
                        order.add(g);
                    }
                }
            }
        }
        return order;
    }

    /** Names of the graph's data inputs, in the order {@code forward} takes them. */
    public List<String> inputNames() {
        return inputs.stream().map(ValueInfoProto::getName).toList();
    }

    public List<String> outputNames() {
        return outputs;
    }

    /** Trainable parameter name to its structural group ("embeddings", "encoder.layer.3", ...). */
    public Map<String, String> parameterGroups() {
        Map<String, String> m = new LinkedHashMap<>();
        weights.keySet().forEach(k -> m.put(k, groups.getOrDefault(k, "graph")));
        return Collections.unmodifiableMap(m);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        if (in.size() != inputs.size()) {
            throw new UserException("the ONNX graph takes " + inputs.size() + " inputs " + inputNames() + " but got " + in.size());
        }
        NDManager m = in.isEmpty() ? ps.getManager() : in.head().getManager();
        ai.djl.Device device = in.isEmpty() ? m.getDevice() : in.head().getDevice();
        Set<NDArray> persistent = Collections.newSetFromMap(new IdentityHashMap<>());
        persistent.addAll(in);
        Map<String, NDArray> weightValues = new HashMap<>();
        for (Map.Entry<String, Parameter> e : weights.entrySet()) {
            NDArray v = ps.getValue(e.getValue(), device, training);
            weightValues.put(e.getKey(), v);
            persistent.add(v);
        }
        persistent.addAll(constants.values());
        Liveness.Values env = new Liveness.Values(persistent);
        for (int i = 0; i < inputs.size(); i++) {
            env.put(inputs.get(i).getName(), in.get(i));
        }
        weightValues.forEach(env::put);
        constants.forEach(env::put);
        List<Fusion.Step> steps = plan();
        Liveness live = liveness();
        for (int step = 0; step < steps.size(); step++) {
            NodeProto node = steps.get(step).node();
            int index = steps.get(step).index();
            NDArray[] args = new NDArray[node.getInputCount()];
            for (int k = 0; k < args.length; k++) {
                String name = node.getInput(k);
                args[k] = name.isEmpty() ? null : env.get(name);
            }
            // Keras semantics: a node whose weights are frozen (BatchNorm, Dropout) runs in inference mode.
            boolean nodeTraining = training && !frozen(node);
            NDArray[] out = Ops.get(OnnxInspector.opKey(node)).apply(new OpCall(node, args, m, opset, file, nodeTraining, kernels));
            Adapter ad = adapters.get(index);
            if (ad != null) {
                NDArray a = ps.getValue(ad.a(), device, training);
                NDArray b = ps.getValue(ad.b(), device, training);
                NDArray scaled;
                if (ad.conv()) {
                    // A as the node's own convolution (its pads, strides, dilations; no bias), then B as a 1x1 convolution
                    NDArray low = Ops.get(OnnxInspector.opKey(node)).apply(new OpCall(node, new NDArray[] {args[0], a}, m, opset, file,
                            nodeTraining, kernels))[0];
                    low.attach(m);
                    int n = b.getShape().dimension() - 2;
                    long[] ones = new long[n];
                    java.util.Arrays.fill(ones, 1);
                    scaled = kernels.conv(low, b, null, ones, new long[n], ones, 1).muli(ad.scale());
                } else {
                    NDArray delta = kernels.matMul(args[0], a);
                    delta.attach(m);
                    scaled = kernels.matMul(delta, b).muli(ad.scale());
                }
                scaled.attach(m);
                out[0] = out[0].add(scaled);
                out[0].attach(m);
            }
            for (int k = 0; k < out.length && k < node.getOutputCount(); k++) {
                // An op whose first operand is a weight puts its result on the weight's long-lived
                // manager; move every result to this forward pass's manager so it is freed with it.
                if (!persistent.contains(out[k]) && out[k].getManager() != m) {
                    out[k].attach(m);
                }
                env.put(node.getOutput(k), out[k]);
            }
            for (String done : live.releaseAfter(step)) {
                env.release(done);
            }
        }
        NDList result = new NDList();
        for (String o : outputs) {
            result.add(env.get(o));
        }
        return result;
    }

    private List<Fusion.Step> plan() {
        if (plan == null) {
            plan = Fusion.plan(graph, outputs, file);
        }
        return plan;
    }

    private Liveness liveness() {
        if (liveness == null) {
            liveness = new Liveness(plan().stream().map(Fusion.Step::node).toList(), outputs);
        }
        return liveness;
    }

    private boolean frozen(NodeProto node) {
        for (String in : node.getInputList()) {
            Parameter p = weights.get(in);
            if (p != null && p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR
                    && !p.requiresGradient()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDList dummy = new NDList();
            for (int i = 0; i < inputShapes.length; i++) {
                int elem = inputs.get(i).getType().getTensorType().getElemType();
                dummy.add(m.zeros(inputShapes[i], Tensors.dataType(elem)));
            }
            NDList out = forward(new ParameterStore(m, false), dummy, false);
            return out.stream().map(NDArray::getShape).toArray(Shape[]::new);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children: the graph's weights are parameters of this block
    }
}
