package io.transfer4j.eval;

/** Precision, recall and F1 of one class; {@code support} is its number of true examples. */
public record ClassMetrics(String label, double precision, double recall, double f1, int support) {}
