package io.transfer4j.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.transfer4j.data.Augmenter;
import io.transfer4j.onnx.OnnxBlock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A feature network trained on episodes ({@link EpisodeRows}: support rows, then query rows). Its
 * forward pass gives each query row's nearest-prototype logits, {@code -|f(q) - mean f(support of c)|^2}
 * over the episode's classes: what Prototypical Networks train and what every method is validated
 * by, since a few-shot model built on the result reads the same features. Under {@link MetaMethod#MAML},
 * {@link MetaMethod#REPTILE} and {@link MetaMethod#ANIL} an N-way linear head on the features is
 * meta-learnt too, and a training micro-batch runs the episode's inner loop ({@link #objective()}'s
 * {@link Objective.BatchStep}) instead of one forward pass.
 */
public final class EpisodicNetwork extends AbstractBlock implements TunableNetwork {
    private final OnnxBlock body;
    private final Block head;
    private final int ways;
    private final int width;
    private final MetaMethod method;
    private final int innerSteps;
    private final float innerRate;

    public EpisodicNetwork(OnnxBlock body, int width, int ways, MetaMethod method, int innerSteps, float innerRate) {
        this.body = addChildBlock("body", body);
        this.head = method.hasHead() ? addChildBlock("head", HeadType.LOGISTIC.build(ways, 0)) : null;
        this.ways = ways;
        this.width = width;
        this.method = method;
        this.innerSteps = innerSteps;
        this.innerRate = innerRate;
    }

    public OnnxBlock body() {
        return body;
    }

    /** Support and query features in one pass, so BatchNorm sees the whole episode: {support [N K, F], query [N Q, F]}. */
    private NDArray[] features(ParameterStore ps, NDList inputs, boolean training) {
        long support = inputs.get(0).getShape().get(0);
        NDArray f = body.forward(ps, joined(inputs), training).head();
        return new NDArray[] {f.get(new NDIndex("0:{}", support)), f.get(new NDIndex("{}:", support))};
    }

    /** An episode's support inputs and query inputs as one batch of the body's inputs (support rows first). */
    private static NDList joined(NDList episode) {
        int half = episode.size() / 2;
        NDList joined = new NDList();
        for (int i = 0; i < half; i++) {
            joined.add(NDArrays.concat(new NDList(episode.get(i), episode.get(half + i)), 0));
        }
        return joined;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray[] f = features(ps, inputs, training);
        long shots = f[0].getShape().get(0) / ways;
        NDArray protos = f[0].reshape(ways, shots, width).mean(new int[] {1});
        NDArray q = f[1];
        // -|q - p|^2 = 2 q.p - |q|^2 - |p|^2
        NDArray logits = q.matMul(protos.transpose()).mul(2).sub(q.square().sum(new int[] {1}, true))
                .sub(protos.square().sum(new int[] {1}).expandDims(0));
        return new NDList(logits);
    }

    @Override
    public ParameterTable table() {
        Set<Parameter> headParams = Collections.newSetFromMap(new IdentityHashMap<>());
        if (head != null) {
            headParams.addAll(head.getParameters().values());
        }
        return ParameterTable.of(this, p -> headParams.contains(p) ? "head" : body.groupOf(p.getName()),
                p -> headParams.contains(p) ? TunedParameter.Role.HEAD
                        : OnnxBlock.isAdapter(p.getName()) ? TunedParameter.Role.ADAPTER : TunedParameter.Role.BODY,
                body.groupOrder());
    }

    @Override
    public Objective objective() {
        return new Episodes(method.hasHead() ? this::innerLoop : null);
    }

    /** Cross-entropy of each query row against its class: rows come class by class, {@code queries} each. */
    static NDArray queryLoss(NDManager m, NDArray logits, int ways) {
        return crossEntropy(m, logits, classes((int) logits.getShape().get(0), ways));
    }

    /** The class of each of {@code rows} episode rows laid out class by class. */
    private static int[] classes(int rows, int ways) {
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = r / (rows / ways);
        }
        return y;
    }

    private NDArray headLoss(NDManager m, ParameterStore ps, NDArray features, int[] y) {
        return crossEntropy(m, head.forward(ps, new NDList(features), true).head(), y);
    }

    private static NDArray crossEntropy(NDManager m, NDArray logits, int[] y) {
        int[] idx = new int[y.length];
        for (int r = 0; r < idx.length; r++) {
            idx[r] = r;
        }
        return TrainingLoop.crossEntropy(m, logits, y, idx, 0, null);
    }

    /**
     * One episode's inner loop and meta-gradient, first order. The trainable weights are adapted in
     * place by {@code innerSteps} SGD steps (MAML: all on the support rows; ANIL: the head only;
     * Reptile: all on support and queries), the meta-gradient is formed (MAML, ANIL: the query loss's
     * gradient at the adapted weights; Reptile: initial minus adapted weights), and the initial
     * weights are put back with that gradient added to what earlier micro-batches accumulated.
     */
    private double innerLoop(Model model, NDList batch, NDManager m, float weight) {
        ParameterStore ps = new ParameterStore(m, false);
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter p : getParameters().values()) {
            if (p.requiresGradient()) {
                trainable.add(p);
            }
        }
        List<Parameter> inner = new ArrayList<>();
        for (Parameter p : trainable) {
            if (method != MetaMethod.ANIL || head.getParameters().values().contains(p)) {
                inner.add(p);
            }
        }
        List<NDArray> initial = new ArrayList<>();
        List<NDArray> earlier = new ArrayList<>();
        for (Parameter p : trainable) {
            initial.add(onto(m, p.getArray().duplicate()));
            NDArray g = onto(m, p.getArray().getGradient());
            earlier.add(onto(m, g.duplicate()));
            g.set(new NDIndex("..."), 0f);
        }
        int half = batch.size() / 2;
        long supportRows = batch.get(0).getShape().get(0);
        long queryRows = batch.get(half).getShape().get(0);
        NDList support = new NDList(batch.subList(0, half));
        NDList query = new NDList(batch.subList(half, batch.size()));
        NDList episode = joined(batch);
        int[] supportY = classes((int) supportRows, ways);
        int[] episodeY = new int[(int) (supportRows + queryRows)];
        System.arraycopy(supportY, 0, episodeY, 0, supportY.length);
        System.arraycopy(classes((int) queryRows, ways), 0, episodeY, supportY.length, (int) queryRows);
        // ANIL adapts the head on fixed support features: the body runs once for the inner loop
        NDArray fixedSupport = method == MetaMethod.ANIL ? body.forward(ps, support, true).head().stopGradient() : null;
        double loss = Double.NaN;
        for (int step = 0; step < innerSteps; step++) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l;
                if (method == MetaMethod.ANIL) {
                    l = headLoss(m, ps, fixedSupport, supportY);
                } else if (method == MetaMethod.REPTILE) {
                    l = headLoss(m, ps, body.forward(ps, episode, true).head(), episodeY);
                } else {
                    l = headLoss(m, ps, body.forward(ps, support, true).head(), supportY);
                }
                loss = l.getFloat();
                gc.backward(l);
            }
            for (Parameter p : inner) {
                NDArray w = p.getArray();
                NDArray g = onto(m, w.getGradient());
                w.subi(onto(m, g.mul(innerRate)));
                g.set(new NDIndex("..."), 0f);
            }
        }
        if (method != MetaMethod.REPTILE) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = headLoss(m, ps, body.forward(ps, query, true).head(), classes((int) queryRows, ways));
                loss = l.getFloat();
                gc.backward(l);
            }
        }
        for (int i = 0; i < trainable.size(); i++) {
            NDArray w = trainable.get(i).getArray();
            NDArray g = onto(m, w.getGradient());
            NDArray meta = method == MetaMethod.REPTILE ? onto(m, initial.get(i).sub(w)) : onto(m, g.duplicate());
            w.set(new NDIndex("..."), initial.get(i));
            g.set(new NDIndex("..."), onto(m, earlier.get(i).add(onto(m, meta.mul(weight)))));
        }
        return loss;
    }

    private static NDArray onto(NDManager m, NDArray a) {
        a.attach(m);
        return a;
    }

    /** The episodes' objective: query cross-entropy under prototype logits; validation = prototype accuracy on fresh episodes. */
    private record Episodes(Objective.BatchStep step) implements Objective {
        @Override
        public String id() {
            return "episodes";
        }

        @Override
        public NDArray loss(NDManager m, NDArray output, int[] y, int[] idx, float smoothing, Augmenter.Mixing mix) {
            return queryLoss(m, output, (int) output.getShape().get(1));
        }

        @Override
        public double[] evaluate(Model model, Rows x, int[] y, int batch) {
            ParameterStore ps = new ParameterStore(model.getNDManager(), false);
            double loss = 0;
            int right = 0;
            int rows = 0;
            for (int e = 0; e < x.size(); e++) {
                try (NDManager m = model.getNDManager().newSubManager()) {
                    NDArray logits = model.getBlock().forward(ps, x.batch(m, new int[] {e}), false).singletonOrThrow();
                    int ways = (int) logits.getShape().get(1);
                    loss += queryLoss(m, logits, ways).getFloat();
                    float[] flat = logits.toFloatArray();
                    int n = flat.length / ways;
                    for (int r = 0; r < n; r++) {
                        int best = Inference.argMax(java.util.Arrays.copyOfRange(flat, r * ways, (r + 1) * ways));
                        right += best == r / (n / ways) ? 1 : 0;
                    }
                    rows += n;
                }
            }
            return new double[] {loss / x.size(), (double) right / rows};
        }

        @Override
        public BatchStep batchStep() {
            return step;
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[inputShapes.length / 2].get(0), ways)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, java.util.Arrays.copyOfRange(inputShapes, 0, inputShapes.length / 2));
        if (head != null) {
            head.initialize(manager, dataType, new Shape(1, width));
        }
    }
}
