package io.transfer4j.train;

import ai.djl.engine.Engine;

/**
 * The one place libtorch's global random generator is seeded. It is process-wide state: a draw
 * that did not reseed first would depend on whatever ran before it in the JVM. So every consumer
 * (weight initialisation, LoRA adapters, dropout) reseeds from its run's seed immediately before
 * it draws, and nothing else calls {@link Engine#setRandomSeed}.
 */
public final class Seeds {
    private Seeds() {}

    /** Before new weights are drawn (a head, adapters, a block's initialisation) for the run of {@code seed}. */
    public static void beforeInit(long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
    }

    /**
     * Before micro-batch {@code index} (counted from the run's start) is forwarded in training mode:
     * its dropout masks are a function of (seed, index) alone, so a resumed run draws the same ones.
     */
    public static void beforeBatch(long seed, long index) {
        Engine.getInstance().setRandomSeed((int) (seed * 7919 + index));
    }
}
