package io.transfer4j.baseline;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.TextDataset;
import io.transfer4j.train.HeadFitter;
import io.transfer4j.train.TokenRows;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Progress;

/**
 * Trains the model every transfer is measured against: the same labels, the same split, no
 * pre-trained knowledge. Its L2 strength is chosen on the validation split like the transfer head's.
 */
public final class ScratchBaseline {
    public static final HashedNgrams NGRAMS = new HashedNgrams(1 << 18, 1024);
    public static final TrainConfig CONFIG = new TrainConfig(40, 32, 0.1f, 0, 4, 0);
    public static final float[] L2_GRID = {1e-6f, 1e-4f};

    private ScratchBaseline() {}

    public record Result(ScratchClassifier classifier, HeadFitter.Fitted fit) {}

    public static Result fit(TextDataset train, TextDataset validation, LabelMap labels, long seed, Progress progress) {
        TokenRows tx = new TokenRows(NGRAMS.ids(train.texts()));
        TokenRows vx = new TokenRows(NGRAMS.ids(validation.texts()));
        HeadFitter.Fitted f = new HeadFitter(progress).fit("scratch", () -> new HashedBagBlock(NGRAMS.buckets(), labels.size()),
                tx, train.labelIndices(labels), vx, validation.labelIndices(labels), CONFIG.withSeed(seed), L2_GRID);
        return new Result(new ScratchClassifier(NGRAMS, f.model(), labels), f);
    }
}
