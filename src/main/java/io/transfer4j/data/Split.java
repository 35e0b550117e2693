package io.transfer4j.data;

/** Train, validation (early stopping, model choice) and held-out test parts of one dataset. */
public record Split<D extends Labelled<D>>(D train, D validation, D test) {}
