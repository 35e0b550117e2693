package io.transfer4j.selfsup;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.train.Objective;
import io.transfer4j.train.ParameterTable;
import io.transfer4j.train.TunableNetwork;

/**
 * A trainable feature network with SimCLR's projection head (dense, ReLU, dense) on its pooled
 * features: the loss is taken on the projections, and the head is dropped afterwards, since the
 * features below it transfer better (SimCLR, section 4.2).
 */
public final class ProjectionNetwork extends AbstractBlock implements TunableNetwork {
    private final OnnxBlock body;
    private final Block projection;
    private final int width;
    private final ContrastiveObjective objective;

    /** @param width the body's feature width */
    public ProjectionNetwork(OnnxBlock body, int width, ContrastiveConfig config) {
        this.body = addChildBlock("body", body);
        this.width = width;
        int hidden = config.projectionHidden() > 0 ? config.projectionHidden() : width;
        this.projection = addChildBlock("projection", new SequentialBlock().add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu).add(Linear.builder().setUnits(config.projectionDim()).build()));
        this.objective = new ContrastiveObjective(config.temperature());
    }

    public OnnxBlock body() {
        return body;
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return projection.forward(ps, body.forward(ps, inputs, training), training);
    }

    /** The body's groups from the input up, then the projection head as "head". */
    @Override
    public ParameterTable table() {
        return ParameterTable.ofBodyAndHead(this, body, projection);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return projection.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), width)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        projection.initialize(manager, dataType, new Shape(inputShapes[0].get(0), width));
    }
}
