package io.transfer4j.adapt;

import io.transfer4j.data.Augmentation;
import io.transfer4j.util.UserException;

/**
 * How an adapt run trains, immutable; {@link #toBuilder} to change it.
 *
 * @param tradeOff weight of the domain loss against the source classification loss
 * @param threshold self-training's confidence a target prediction needs to become a pseudo-label
 * @param strongAugmentation self-training's augmented view of target images (the plain view predicts)
 * @param seeds how many seeds every method (source-only included) is trained and compared over
 * @param selection the label-free estimate auto chooses by
 */
public record AdaptConfig(Method method, float tradeOff, float threshold, Augmentation strongAugmentation, int seeds,
        LabelFree.Selection selection) {
    public static final AdaptConfig DEFAULT = new AdaptConfig(Method.AUTO, 1f, 0.9f,
            Augmentation.parse("crop=0.6,rotate=15,jitter=0.4,erase=0.5"), 3, LabelFree.Selection.BOUND);

    public AdaptConfig {
        if (!(tradeOff >= 0) || !(threshold > 0 && threshold < 1) || seeds < 1 || seeds > 10) {
            throw new UserException("adapt settings out of range: trade-off " + tradeOff + " (>= 0), threshold " + threshold
                    + " (between 0 and 1), seeds " + seeds + " (1..10)");
        }
        if (strongAugmentation.mixes()) {
            throw new UserException("self-training's target view cannot mix images (mixup, cutmix): their pseudo-labels would not match");
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    public static final class Builder {
        private Method method;
        private float tradeOff;
        private float threshold;
        private Augmentation strongAugmentation;
        private int seeds;
        private LabelFree.Selection selection;

        private Builder(AdaptConfig c) {
            selection = c.selection;
            method = c.method;
            tradeOff = c.tradeOff;
            threshold = c.threshold;
            strongAugmentation = c.strongAugmentation;
            seeds = c.seeds;
        }

        public Builder method(Method v) {
            method = v;
            return this;
        }

        public Builder tradeOff(float v) {
            tradeOff = v;
            return this;
        }

        public Builder threshold(float v) {
            threshold = v;
            return this;
        }

        public Builder strongAugmentation(Augmentation v) {
            strongAugmentation = v;
            return this;
        }

        public Builder seeds(int v) {
            seeds = v;
            return this;
        }

        public Builder selection(LabelFree.Selection v) {
            selection = v;
            return this;
        }

        public AdaptConfig build() {
            return new AdaptConfig(method, tradeOff, threshold, strongAugmentation, seeds, selection);
        }
    }
}
