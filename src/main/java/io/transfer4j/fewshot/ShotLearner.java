package io.transfer4j.fewshot;

/**
 * One few-shot method on frozen features: a head fitted from a handful of labelled rows and,
 * when the method uses them, unlabelled rows of the same task (transduction). Implementations
 * are deterministic given their inputs, so an episode or a fold can be repeated exactly.
 */
public interface ShotLearner {
    /** How reports name it ("prototypes-cosine", "probe"). */
    String id();

    /**
     * @param y class index of each row of {@code x}, in [0, classes)
     * @param unlabelled rows to refine with (may be null; methods that do not use them ignore them)
     */
    ShotHead fit(float[][] x, int[] y, int classes, float[][] unlabelled);
}
