package io.transfer4j.train;

import java.util.List;

/**
 * Where the loop is: enough, with the weights and the optimizer state, to continue a run exactly.
 *
 * @param epoch the epoch in progress (1-based)
 * @param batch micro-batches of that epoch already done
 * @param skipped updates skipped so far because their loss or gradient was not finite
 * @param fingerprint hash of everything that decides the run; a resume with another is refused
 */
public record LoopState(String fingerprint, int epoch, int batch, long step, double lossSum, int lossCount,
        List<EpochLog> history, double bestLoss, double bestAccuracy, int bestEpoch, long millis, boolean stopped, int skipped) {}
