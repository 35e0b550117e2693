package io.transfer4j.bundle;

import io.transfer4j.run.RunConfig;
import io.transfer4j.backbone.Pooling;
import io.transfer4j.train.HeadType;
import java.util.List;

/**
 * The bundle's description of itself: plain data, read with Jackson into these records; nothing
 * in a bundle is ever executed.
 */
public record Manifest(int format, String transfer4jVersion, String createdAt, String task, Backbone backbone,
        Head head, List<String> labels, float[] featureMean, float[] featureScale, boolean featureUnitLength, RunConfig config,
        String trainDataSha256, Scores scores) {

    public static final int FORMAT = 1;

    /** Which backbone made the features, pinned by the SHA-256 of its ONNX graph. */
    public record Backbone(String id, String name, String source, String sha256, Pooling pooling, String prefix,
            int maxLength, int maxWindows, int width, String licence) {}

    /** The trained head; its weights are in {@code file} (DJL parameter format). */
    public record Head(HeadType type, int hidden, int inputWidth, float l2, String file) {}

    /** Held-out figures of the run that produced the bundle. */
    public record Scores(double transferAccuracy, double transferMacroF1, double scratchAccuracy,
            double scratchMacroF1, int testSize) {
        /** The run's test figures; scratch NaN when the run had no scratch baseline (pre-training). */
        static Scores of(io.transfer4j.run.TransferRun<?, ?> run) {
            return new Scores(run.transfer().test().accuracy(), run.transfer().test().macroF1(),
                    run.scratch() == null ? Double.NaN : run.scratch().test().accuracy(),
                    run.scratch() == null ? Double.NaN : run.scratch().test().macroF1(), run.testSize());
        }
    }
}
