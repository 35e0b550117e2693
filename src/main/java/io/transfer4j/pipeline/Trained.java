package io.transfer4j.pipeline;

import io.transfer4j.model.Classifier;
import io.transfer4j.run.Features;
import io.transfer4j.run.TransferRun;
import io.transfer4j.train.FitResult;
import java.util.List;

/**
 * One model a modality trained for the pipeline, with how its training went.
 *
 * @param name how tables name it ("transfer:bge-small-q+logistic", "scratch:smallcnn")
 * @param testPredictions its predicted class per test row when the modality already computed them; null for the pipeline to predict
 * @param features the backbone and its feature cost (null for a scratch model)
 * @param tuning what fine-tuning trained (null for a probe or a scratch model)
 * @param warnings found while training (e.g. low separability of the frozen features)
 */
public record Trained<M extends Classifier<?>>(M model, String name, FitResult fit, long trainMillis, int[] testPredictions,
        Features features, TransferRun.Tuning tuning, List<String> warnings) implements AutoCloseable {

    public Trained {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    @Override
    public void close() {
        model.close();
    }
}
