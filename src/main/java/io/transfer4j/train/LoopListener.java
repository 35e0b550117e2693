package io.transfer4j.train;

import io.transfer4j.util.Progress;
import java.nio.file.Path;
import java.util.List;

/**
 * What the training loop tells the outside while it runs: progress bars, checkpoints, the tests'
 * interrupt hook and benchmarks' step timers all listen here instead of living in the loop's body.
 * Every method has an empty default; a listener may throw to stop the run.
 */
public interface LoopListener {
    /** A resumed run starts with this many micro-batches already done. */
    default void resumed(long microBatches) {}

    /** One micro-batch's forward and backward pass ended ({@code loss} may be non-finite). */
    default void microBatch(int epoch, int batch, double loss) {}

    /**
     * An optimizer update was applied (or skipped as non-finite).
     *
     * @param endsEpoch whether it is the epoch's last (an epoch-end checkpoint follows anyway)
     * @param at the loop where it stands, to save
     */
    default void updated(long step, boolean endsEpoch, Position at) {}

    /** Early stopping skips this many remaining micro-batches. */
    default void stoppedEarly(long microBatches) {}

    /** An epoch's validation ended; {@code next} is the loop positioned at the next epoch's start. */
    default void epochEnded(EpochLog log, Position next) {}

    /** The loop's complete state at one point: what a checkpoint holds. */
    record Position(ai.djl.nn.Block block, Updater updater, byte[] best, LoopState state) {
        /** Writes this position as the checkpoint in {@code dir}. */
        public void save(Path dir) {
            CheckpointStore.save(dir, block, updater, best, state);
        }
    }

    /** Counts micro-batches on a progress bar and shows each epoch's validation score. */
    static LoopListener progress(Progress.Task task) {
        return new LoopListener() {
            @Override
            public void resumed(long microBatches) {
                task.step(microBatches);
            }

            @Override
            public void microBatch(int epoch, int batch, double loss) {
                task.step(1);
            }

            @Override
            public void stoppedEarly(long microBatches) {
                task.step(microBatches);
            }

            @Override
            public void epochEnded(EpochLog log, Position next) {
                task.message(String.format("val loss %.4f acc %.3f", log.validationLoss(), log.validationAccuracy()));
            }
        };
    }

    /** Saves a checkpoint every {@code everySteps} updates (0: never mid-epoch) and at every epoch end. */
    static LoopListener checkpoints(Path dir, int everySteps) {
        return new LoopListener() {
            @Override
            public void updated(long step, boolean endsEpoch, Position at) {
                if (everySteps > 0 && step % everySteps == 0 && !endsEpoch) {
                    at.save(dir);
                }
            }

            @Override
            public void epochEnded(EpochLog log, Position next) {
                next.save(dir);
            }
        };
    }

    /** The tests' stand-in for a killed process: stops the run after {@code updates} updates in this session. */
    static LoopListener interruptAfter(long updates) {
        return new LoopListener() {
            private long seen;

            @Override
            public void updated(long step, boolean endsEpoch, Position at) {
                if (++seen >= updates) {
                    throw new Checkpoints.Interrupted(step);
                }
            }
        };
    }

    /** All of {@code listeners}, told in order. */
    static LoopListener all(List<LoopListener> listeners) {
        return new LoopListener() {
            @Override
            public void resumed(long microBatches) {
                listeners.forEach(l -> l.resumed(microBatches));
            }

            @Override
            public void microBatch(int epoch, int batch, double loss) {
                listeners.forEach(l -> l.microBatch(epoch, batch, loss));
            }

            @Override
            public void updated(long step, boolean endsEpoch, Position at) {
                listeners.forEach(l -> l.updated(step, endsEpoch, at));
            }

            @Override
            public void stoppedEarly(long microBatches) {
                listeners.forEach(l -> l.stoppedEarly(microBatches));
            }

            @Override
            public void epochEnded(EpochLog log, Position next) {
                listeners.forEach(l -> l.epochEnded(log, next));
            }
        };
    }
}
