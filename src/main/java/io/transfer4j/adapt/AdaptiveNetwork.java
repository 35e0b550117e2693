package io.transfer4j.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.Objective;
import io.transfer4j.train.ParameterTable;
import io.transfer4j.train.TunableNetwork;
import io.transfer4j.train.TunedParameter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A feature network (an imported graph that ends in one vector per row, or a bottleneck over frozen features) with a linear classifier
 * and, for the adversarial methods, a domain discriminator: what every adaptation method trains.
 * Its forward pass is the classifier's (validation, export); the {@link DomainObjective} reaches
 * the features, the head and the discriminator separately.
 */
public final class AdaptiveNetwork extends AbstractBlock implements TunableNetwork {
    /** Hidden units of the discriminator's two layers. */
    static final int DISCRIMINATOR_HIDDEN = 512;

    private final Block body;
    private final java.util.function.Function<Parameter, String> bodyGroup;
    private final java.util.List<String> groupOrder;
    private final Block head;
    private final Block discriminator;
    private final int width;
    private final int discriminatorInput;
    private final DomainObjective objective;

    /**
     * @param width the body's feature width
     * @param objective what the loop minimises; its method decides whether a discriminator exists
     */
    public AdaptiveNetwork(OnnxBlock body, int width, int classes, DomainObjective objective) {
        this(body, p -> body.groupOf(p.getName()), body.groupOrder(), width, classes, objective);
    }

    /**
     * Over frozen features of {@code width}: a trainable bottleneck (dense {@code hidden}, ReLU,
     * dropout 0.2) as the feature network, so that the bottleneck and head together are exactly an
     * MLP head ({@link HeadType#MLP}) on the frozen backbone.
     */
    public static AdaptiveNetwork dense(int hidden, int classes, DomainObjective objective) {
        Block bottleneck = new SequentialBlock().add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
                .add(ai.djl.nn.norm.Dropout.builder().optRate(0.2f).build());
        return new AdaptiveNetwork(bottleneck, p -> "bottleneck", java.util.List.of("bottleneck"), hidden, classes, objective);
    }

    private AdaptiveNetwork(Block body, java.util.function.Function<Parameter, String> bodyGroup, java.util.List<String> groupOrder,
            int width, int classes, DomainObjective objective) {
        this.body = addChildBlock("body", body);
        this.bodyGroup = bodyGroup;
        this.groupOrder = groupOrder;
        this.head = addChildBlock("head", HeadType.LOGISTIC.build(classes, 0));
        this.width = width;
        this.objective = objective;
        if (objective.method().adversarial()) {
            this.discriminatorInput = objective.discriminatorInput(width, classes);
            this.discriminator = addChildBlock("discriminator", new SequentialBlock()
                    .add(Linear.builder().setUnits(DISCRIMINATOR_HIDDEN).build()).add(Activation::relu)
                    .add(Linear.builder().setUnits(DISCRIMINATOR_HIDDEN).build()).add(Activation::relu)
                    .add(Linear.builder().setUnits(1).build()));
        } else {
            this.discriminatorInput = 0;
            this.discriminator = null;
        }
    }

    public Block body() {
        return body;
    }

    public Block head() {
        return head;
    }

    NDArray features(ParameterStore ps, NDArray x, boolean training) {
        return body.forward(ps, new NDList(x), training).head();
    }

    NDArray logits(ParameterStore ps, NDArray features, boolean training) {
        return head.forward(ps, new NDList(features), training).head();
    }

    NDArray discriminate(ParameterStore ps, NDArray h, boolean training) {
        return discriminator.forward(ps, new NDList(h), training).head();
    }

    @Override
    public Objective objective() {
        return objective.method().alignsDomains() ? objective : Objective.CROSS_ENTROPY;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return head.forward(ps, body.forward(ps, new NDList(inputs.head()), training), training);
    }

    /** The body's groups from the input up, then "head": the classifier and the discriminator train with the head. */
    @Override
    public ParameterTable table() {
        Set<Parameter> top = Collections.newSetFromMap(new IdentityHashMap<>());
        top.addAll(head.getParameters().values());
        if (discriminator != null) {
            top.addAll(discriminator.getParameters().values());
        }
        return ParameterTable.of(this, p -> top.contains(p) ? "head" : bodyGroup.apply(p),
                p -> top.contains(p) ? TunedParameter.Role.HEAD
                        : OnnxBlock.isAdapter(p.getName()) ? TunedParameter.Role.ADAPTER : TunedParameter.Role.BODY,
                groupOrder);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), width)});
    }

    /** Only the first input shape matters: the classifier's rows (a domain batch also carries target rows and targets). */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        body.initialize(manager, dataType, inputShapes[0]);
        head.initialize(manager, dataType, new Shape(n, width));
        if (discriminator != null) {
            discriminator.initialize(manager, dataType, new Shape(n, discriminatorInput));
        }
    }

    /**
     * The bottleneck and head of a {@link #dense} network copied into a standalone MLP head
     * ({@link HeadType#MLP}: the same layers, so it predicts exactly as the trained network), as text
     * bundles store heads; the caller closes it.
     */
    public ai.djl.Model mlpHead(int inputWidth, int classes) {
        ai.djl.Model m = ai.djl.Model.newInstance("head", ai.djl.Device.cpu(), "PyTorch");
        Block mlp = HeadType.MLP.build(classes, width);
        mlp.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, inputWidth));
        java.util.List<Parameter> from = new java.util.ArrayList<>(body.getParameters().values());
        from.addAll(head.getParameters().values());
        if (from.size() != mlp.getParameters().size()) {
            throw new IllegalStateException("only a dense adaptive network converts to an MLP head");
        }
        for (int i = 0; i < from.size(); i++) {
            io.transfer4j.train.Weights.assign(mlp.getParameters().valueAt(i).getArray(), from.get(i).getArray().toFloatArray());
        }
        m.setBlock(mlp);
        return m;
    }
}
