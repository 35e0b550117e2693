package io.transfer4j.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.transfer4j.data.Augmenter;
import io.transfer4j.onnx.OnnxBlock;

/**
 * A text encoder trained SetFit's way: a batch of pairs ({@link PairRows}: anchors, then their
 * partners) is encoded and pooled as the encoder's features are ({@code cls}: the first token;
 * else the mask-weighted mean), and the output is each pair's cosine similarity. Its objective is
 * sentence-transformers' CosineSimilarityLoss, the mean squared gap between that cosine and the
 * pair's target (1 same class, 0 not).
 */
public final class PairEncoder extends AbstractBlock implements TunableNetwork {
    private final OnnxBlock encoder;
    private final int maskInput;
    private final boolean cls;

    public PairEncoder(OnnxBlock encoder, boolean cls) {
        this.encoder = addChildBlock("encoder", encoder);
        this.maskInput = encoder.inputNames().indexOf("attention_mask");
        this.cls = cls;
        if (maskInput < 0) {
            throw new IllegalArgumentException("the encoder has no attention_mask input");
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray hidden = encoder.forward(ps, inputs, training).head();
        NDArray pooled;
        if (cls) {
            pooled = hidden.get(new NDIndex(":, 0, :"));
        } else {
            NDArray mask = inputs.get(maskInput).toType(DataType.FLOAT32, false).expandDims(-1);
            pooled = hidden.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
        }
        long pairs = pooled.getShape().get(0) / 2;
        NDArray a = pooled.get(new NDIndex("0:{}", pairs));
        NDArray b = pooled.get(new NDIndex("{}:", pairs));
        NDArray dot = a.mul(b).sum(new int[] {1});
        NDArray norms = a.norm(new int[] {1}).mul(b.norm(new int[] {1})).maximum(1e-8f);
        return new NDList(dot.div(norms));
    }

    @Override
    public ParameterTable table() {
        return ParameterTable.of(this, p -> encoder.groupOf(p.getName()),
                p -> OnnxBlock.isAdapter(p.getName()) ? TunedParameter.Role.ADAPTER : TunedParameter.Role.BODY, encoder.groupOrder());
    }

    @Override
    public Objective objective() {
        return COSINE_SIMILARITY;
    }

    /** Mean squared error between each pair's cosine and its target; "accuracy" = the cosine on the target's side of 0.5. */
    static final Objective COSINE_SIMILARITY = new Objective() {
        @Override
        public String id() {
            return "cosine-similarity";
        }

        @Override
        public NDArray loss(NDManager m, NDArray output, int[] y, int[] idx, float smoothing, Augmenter.Mixing mix) {
            float[] t = new float[idx.length];
            for (int r = 0; r < idx.length; r++) {
                t[r] = y[idx[r]];
            }
            return output.sub(m.create(t)).square().mean();
        }

        @Override
        public double[] evaluate(Model model, Rows x, int[] y, int batch) {
            ParameterStore ps = new ParameterStore(model.getNDManager(), false);
            double loss = 0;
            int right = 0;
            for (int start = 0; start < x.size(); start += batch) {
                int[] idx = new int[Math.min(x.size(), start + batch) - start];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = start + i;
                }
                try (NDManager m = model.getNDManager().newSubManager()) {
                    float[] cos = model.getBlock().forward(ps, x.batch(m, idx), false).singletonOrThrow().toFloatArray();
                    for (int i = 0; i < idx.length; i++) {
                        double e = cos[i] - y[idx[i]];
                        loss += e * e;
                        right += (cos[i] > 0.5) == (y[idx[i]] == 1) ? 1 : 0;
                    }
                }
            }
            return new double[] {loss / x.size(), (double) right / x.size()};
        }
    };

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0) / 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes); // weights come from the graph; this marks them trainable
    }
}
