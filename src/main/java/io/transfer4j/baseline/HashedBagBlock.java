package io.transfer4j.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A linear classifier over a bag of hashed n-grams: logits = mean over the text's ids of a
 * per-bucket weight row, plus a bias. Randomly initialised, so it knows only the training labels.
 * Inputs: ids [batch, len] (int64) and mask [batch, len] (1 for real ids, 0 for padding).
 */
public final class HashedBagBlock extends AbstractBlock {
    private final int buckets;
    private final int classes;
    private final Parameter weight;
    private final Parameter bias;

    public HashedBagBlock(int buckets, int classes) {
        this.buckets = buckets;
        this.classes = classes;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(buckets, classes)).optInitializer(new NormalInitializer(0.01f)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(classes)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray w = ps.getValue(weight, ids.getDevice(), training);
        NDArray b = ps.getValue(bias, ids.getDevice(), training);
        NDArray rows = Embedding.embedding(ids, w, SparseFormat.DENSE).singletonOrThrow();
        NDArray summed = rows.mul(mask.expandDims(-1)).sum(new int[] {1});
        NDArray count = mask.sum(new int[] {1}, true).maximum(1f);
        return new NDList(summed.div(count).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        // shapes are fixed at construction
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }

    public int buckets() {
        return buckets;
    }
}
