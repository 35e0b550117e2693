package io.transfer4j.run;

import io.transfer4j.Transfer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.transfer4j.model.ImageModel;
import java.util.List;

/**
 * The outcome of one image-transfer run: the transferred model and the scratch baseline on the
 * same held-out images (scratch null when not trained), with what decided them, and the paired
 * test of the two on those images (null without scratch).
 */
public record ImageRun(ImageRunConfig config, String backbone, String backboneSha256, String imageShape, List<String> labels,
        int trainSize, int validationSize, int testSize, String trainDataSha256, ModelResult transfer, ModelResult scratch,
        long trainableParameters, long totalParameters, long featureMillis, @JsonIgnore ImageModel model,
        io.transfer4j.eval.PairedComparison paired) implements AutoCloseable {

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
