package io.transfer4j;

import io.transfer4j.eval.Metrics;
import io.transfer4j.train.FitResult;

/** One model of a run: its held-out metrics, how its training went, and its wall time. */
public record ModelResult(String name, Metrics test, FitResult training, long trainMillis) {}
