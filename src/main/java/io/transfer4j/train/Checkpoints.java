package io.transfer4j.train;

import java.nio.file.Path;

/**
 * Where and how often the loop saves its complete state (weights, optimizer moments, position in
 * the data, best epoch so far), and whether to continue from what is there.
 *
 * @param everySteps save after every this many optimizer steps (and at every epoch end); 0 = epoch ends only
 * @param interruptAfter for tests: stop as if killed after this many steps in this process; 0 = never
 */
public record Checkpoints(Path dir, int everySteps, boolean resume, long interruptAfter) {
    public static final Checkpoints NONE = new Checkpoints(null, 0, false, 0);

    public static Checkpoints at(Path dir, int everySteps, boolean resume) {
        return new Checkpoints(dir, everySteps, resume, 0);
    }

    public boolean enabled() {
        return dir != null;
    }

    /** Thrown by the test hook {@link #interruptAfter}. */
    public static final class Interrupted extends RuntimeException {
        public Interrupted(long step) {
            super("interrupted after step " + step);
        }
    }
}
