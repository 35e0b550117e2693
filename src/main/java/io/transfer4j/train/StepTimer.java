package io.transfer4j.train;

import io.transfer4j.util.Stats;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's clock on the loop: the time from one micro-batch's end to the next, which is the
 * update of one plus the forward and backward pass of the next.
 */
public final class StepTimer implements LoopListener {
    private final List<Long> stamps = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();

    @Override
    public void microBatch(int epoch, int batch, double loss) {
        stamps.add(System.nanoTime());
        losses.add(loss);
    }

    /** The training loss of each micro-batch, in order. */
    public List<Double> losses() {
        return List.copyOf(losses);
    }

    /** Median milliseconds of the {@code steps} steps after {@code warmup} warm-up steps. */
    public double medianMillis(int warmup, int steps) {
        return Stats.median(millis(warmup, steps).stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Milliseconds of each of the {@code steps} steps after {@code warmup} warm-up steps. */
    public List<Double> millis(int warmup, int steps) {
        if (stamps.size() < warmup + steps) {
            throw new IllegalStateException("timed " + stamps.size() + " micro-batches, need " + (warmup + steps));
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            ms.add((stamps.get(warmup + i) - stamps.get(warmup + i - 1)) / 1e6);
        }
        return ms;
    }
}
