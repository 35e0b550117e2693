package io.transfer4j.train;

import java.util.List;

/**
 * How a training run went; the model holds the weights of {@code bestEpoch}.
 *
 * @param skippedUpdates updates skipped because their loss or gradient was not finite
 */
public record FitResult(float l2, int epochs, int bestEpoch, double bestValidationLoss, double bestValidationAccuracy,
        List<EpochLog> history, long millis, int skippedUpdates) {}
