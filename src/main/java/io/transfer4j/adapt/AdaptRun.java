package io.transfer4j.adapt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.transfer4j.eval.SeedComparison;
import io.transfer4j.model.Classifier;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.TransferRun;
import java.util.List;

/**
 * The outcome of an adapt run: the domain shift, every method on every seed, the label-free
 * choice (and, when the target test rows were labelled, the oracle's), the comparison of the choice
 * with source-only, and the chosen model as an ordinary run whose scratch model is source-only.
 *
 * @param selection how the model was chosen without target labels
 * @param oracle the method with the best mean target-test accuracy (reported only; null without labelled target test rows)
 * @param verdict "adaptation helped", "did not help", "hurt", or why it cannot be said
 */
public record AdaptRun<M extends Classifier<?>, C extends RunSettings<C>>(DomainShift shift, List<Trial> trials,
        List<Summary> methods, String chosen, String selection, String oracle, boolean targetLabelled, SeedComparison comparison,
        String verdict, @JsonIgnore TransferRun<M, C> run) implements AutoCloseable {

    public AdaptRun {
        trials = List.copyOf(trials);
        methods = List.copyOf(methods);
    }

    /**
     * One method on one seed.
     *
     * @param targetAccuracy on the labelled target test rows (NaN without them)
     * @param labelFree what is known of its target risk without target labels
     */
    public record Trial(String method, long seed, double sourceAccuracy, double targetAccuracy, LabelFree labelFree, long millis) {}

    /**
     * One method over the seeds.
     *
     * @param estimatedRisk the mean of the selection's label-free estimate
     * @param dev the mean deep-embedded-validation risk
     * @param bound the mean of source error + half the proxy A-distance
     * @param gain against source-only on the same seeds and splits (target accuracy; null without labels or with one seed)
     */
    public record Summary(String method, double sourceAccuracy, double targetAccuracy, double estimatedRisk, double dev, double bound,
            long millis, SeedComparison gain) {}

    @Override
    public void close() {
        run.close();
    }
}
