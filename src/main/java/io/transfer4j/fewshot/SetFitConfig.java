package io.transfer4j.fewshot;

/**
 * SetFit's contrastive stage (Tunstall et al., 2022), in plain words: every labelled text is paired
 * {@code iterations} times with a random text of its own class (target similarity 1) and
 * {@code iterations} times with one of another class (target 0), so {@code 2 x iterations x shots}
 * pairs; the encoder is trained for {@code epochs} passes over them to make the cosine of each
 * pair's embeddings match its target. Pairs are drawn from a seeded generator one batch at a time,
 * never all held at once.
 *
 * @param learningRate AdamW's peak rate (SetFit's 2e-5), warmed up over the first 10% of updates
 * @param maxLength tokens per text in the pairs (longer texts are cut); the tuned encoder's features
 *     are then read at this length too, a long text in several windows, as it was tuned
 */
public record SetFitConfig(int iterations, int epochs, int batchSize, float learningRate, int maxLength) {
    public static final SetFitConfig DEFAULT = new SetFitConfig(20, 1, 16, 2e-5f, 128);

    public SetFitConfig {
        if (iterations < 1 || epochs < 1 || batchSize < 2 || !(learningRate > 0) || maxLength < 8) {
            throw new io.transfer4j.util.UserException("SetFit settings: iterations " + iterations + ", epochs " + epochs + ", batch "
                    + batchSize + ", learning rate " + learningRate + ", max length " + maxLength
                    + "; give iterations and epochs >= 1, batch >= 2, a positive rate and max length >= 8");
        }
    }

    /** Pairs one epoch trains on. */
    public long pairs(int shots) {
        return 2L * iterations * shots;
    }
}
