package io.transfer4j.fewshot;

import io.transfer4j.train.MetaMethod;
import io.transfer4j.util.UserException;

/**
 * Episodic meta-training of a backbone on base classes; immutable, with a builder.
 *
 * @param episodes training episodes per epoch (the loop's rows: one episode per update)
 * @param validationEpisodes episodes from held-out rows of the base classes after every epoch, by
 *     prototype accuracy: what picks the epoch kept
 * @param innerSteps SGD steps of the inner loop (MAML, Reptile, ANIL)
 * @param innerRate their learning rate
 * @param learningRate the outer (meta) Adam rate, warmed up then cosine-decayed
 */
public record MetaConfig(MetaMethod method, int ways, int shots, int queries, int episodes, int epochs, int validationEpisodes,
        int innerSteps, float innerRate, float learningRate) {
    public MetaConfig {
        if (ways < 2 || shots < 1 || queries < 1 || episodes < 1 || epochs < 1 || validationEpisodes < 1 || innerSteps < 1
                || !(innerRate > 0) || !(learningRate > 0)) {
            throw new UserException("meta-training needs --ways >= 2, --shots, --queries, --episodes, --epochs, --validation-episodes "
                    + "and --inner-steps >= 1 and positive rates; got ways " + ways + ", shots " + shots + ", queries " + queries
                    + ", episodes " + episodes + ", epochs " + epochs + ", validation episodes " + validationEpisodes + ", inner steps "
                    + innerSteps + ", inner rate " + innerRate + ", rate " + learningRate);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private MetaMethod method = MetaMethod.PROTONET;
        private int ways = 5;
        private int shots = 5;
        private int queries = 15;
        private int episodes = 1000;
        private int epochs = 1;
        private int validationEpisodes = 100;
        private int innerSteps = 5;
        private float innerRate = 0.5f;
        private float learningRate = 1e-3f;

        public Builder method(MetaMethod m) {
            method = m;
            return this;
        }

        public Builder ways(int n) {
            ways = n;
            return this;
        }

        public Builder shots(int k) {
            shots = k;
            return this;
        }

        public Builder queries(int q) {
            queries = q;
            return this;
        }

        public Builder episodes(int e) {
            episodes = e;
            return this;
        }

        public Builder epochs(int e) {
            epochs = e;
            return this;
        }

        public Builder validationEpisodes(int e) {
            validationEpisodes = e;
            return this;
        }

        public Builder innerSteps(int s) {
            innerSteps = s;
            return this;
        }

        public Builder innerRate(float r) {
            innerRate = r;
            return this;
        }

        public Builder learningRate(float r) {
            learningRate = r;
            return this;
        }

        public MetaConfig build() {
            return new MetaConfig(method, ways, shots, queries, episodes, epochs, validationEpisodes, innerSteps, innerRate, learningRate);
        }
    }
}
