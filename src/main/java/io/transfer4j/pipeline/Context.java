package io.transfer4j.pipeline;

import io.transfer4j.train.Checkpoints;
import io.transfer4j.util.Progress;

/** What a run reports to and saves through, as opposed to what decides it (the configuration). */
public record Context(Progress progress, Checkpoints checkpoints) {
    public static final Context SILENT = new Context(Progress.SILENT, Checkpoints.NONE);
}
