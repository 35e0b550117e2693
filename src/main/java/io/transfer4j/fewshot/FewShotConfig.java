package io.transfer4j.fewshot;

import io.transfer4j.train.TrainConfig;

/**
 * How a few-shot model is made; immutable, with a builder. The backbone, seed and progress are
 * the pipeline's.
 *
 * @param metric the prototypes' metric; null = cosine, or under {@code auto} both compared
 * @param refinements transductive soft k-means steps when unlabelled queries are given (0 = none)
 * @param l2Grid the probe's L2 strengths, chosen on held-out shots
 * @param fixedL2 the probe's L2 when it cannot be chosen (one shot per class) and in episodes, where
 *     choosing per episode would multiply the cost by the grid and the folds
 * @param probeTraining the probe's training (epochs, batch, rate); its seed is the run's
 * @param setFit the contrastive fine-tuning of {@link Method#SETFIT}
 */
public record FewShotConfig(Method method, Metric metric, int refinements, float[] l2Grid, float fixedL2, TrainConfig probeTraining,
        SetFitConfig setFit) {
    public static final FewShotConfig DEFAULT = builder().build();

    public FewShotConfig {
        if (refinements < 0 || !(fixedL2 >= 0) || l2Grid.length == 0) {
            throw new io.transfer4j.util.UserException("few-shot settings: refinements " + refinements + ", l2 " + fixedL2
                    + "; refinements and l2 must be at least 0 and the L2 grid non-empty");
        }
        l2Grid = l2Grid.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.method = method;
        b.metric = metric;
        b.refinements = refinements;
        b.l2Grid = l2Grid;
        b.fixedL2 = fixedL2;
        b.probeTraining = probeTraining;
        b.setFit = setFit;
        return b;
    }

    public static final class Builder {
        private Method method = Method.AUTO;
        private Metric metric;
        private int refinements = 5;
        // chosen on a few held-out shots: a coarse grid, as each extra point is another chance to pick by noise
        private float[] l2Grid = {1e-3f, 1e-2f, 1e-1f, 1f};
        private float fixedL2 = 1e-2f;
        // 100 epochs of one batch: a handful of rows converges long before; the loop stops at the best training loss anyway
        private TrainConfig probeTraining = new TrainConfig(100, 64, 0.01f, 0, 10, 0);
        private SetFitConfig setFit = SetFitConfig.DEFAULT;

        public Builder method(Method m) {
            method = m;
            return this;
        }

        public Builder metric(Metric m) {
            metric = m;
            return this;
        }

        public Builder refinements(int r) {
            refinements = r;
            return this;
        }

        public Builder l2Grid(float... grid) {
            l2Grid = grid.clone();
            return this;
        }

        public Builder fixedL2(float l2) {
            fixedL2 = l2;
            return this;
        }

        public Builder probeTraining(TrainConfig t) {
            probeTraining = t;
            return this;
        }

        public Builder setFit(SetFitConfig s) {
            setFit = s;
            return this;
        }

        public FewShotConfig build() {
            return new FewShotConfig(method, metric, refinements, l2Grid, fixedL2, probeTraining, setFit);
        }
    }
}
