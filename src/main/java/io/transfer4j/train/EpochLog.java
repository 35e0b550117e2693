package io.transfer4j.train;

/** One epoch of a training run, as recorded in the run's JSON. */
public record EpochLog(int epoch, double trainLoss, double validationLoss, double validationAccuracy) {}
