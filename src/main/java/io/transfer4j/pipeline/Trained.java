package io.transfer4j.pipeline;

import io.transfer4j.model.Classifier;
import io.transfer4j.run.Features;
import io.transfer4j.run.StrategyChoice;
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
 * @param choice how {@code --strategy auto} chose this model; null when the strategy was given
 */
public record Trained<M extends Classifier<?>>(M model, String name, FitResult fit, long trainMillis, int[] testPredictions,
        Features features, TransferRun.Tuning tuning, List<String> warnings, StrategyChoice choice) implements AutoCloseable {

    public Trained {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public Trained(M model, String name, FitResult fit, long trainMillis, int[] testPredictions, Features features,
            TransferRun.Tuning tuning, List<String> warnings) {
        this(model, name, fit, trainMillis, testPredictions, features, tuning, warnings, null);
    }

    Trained<M> withChoice(StrategyChoice c) {
        return new Trained<>(model, name, fit, trainMillis, testPredictions, features, tuning, warnings, c);
    }

    @Override
    public void close() {
        model.close();
    }
}
