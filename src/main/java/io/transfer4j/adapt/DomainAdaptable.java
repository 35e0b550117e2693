package io.transfer4j.adapt;

import io.transfer4j.data.Labelled;
import io.transfer4j.data.Split;
import io.transfer4j.model.Classifier;
import io.transfer4j.pipeline.Context;
import io.transfer4j.pipeline.Trained;
import io.transfer4j.run.RunSettings;
import io.transfer4j.util.Progress;
import java.util.List;

/**
 * What a modality adds to the seam for domain adaptation: its network trained under one
 * {@link Method} through the shared fine-tuning job, and the features that network's classifier
 * reads (what label-free validation weighs). Splitting, seeds, the domain shift, selection and the
 * comparison with source-only are {@link Adaptation}'s, written once.
 */
public interface DomainAdaptable<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    /** The concrete methods this modality's backbone under {@code config} can run (e.g. adabn only with BatchNorm layers). */
    List<Method> methods(C config);

    /** Why {@code method} is not among {@link #methods}, for the error message. */
    String unavailable(C config, Method method);

    /**
     * A model trained on {@code source.train()} (selected on {@code source.validation()}: source labels
     * only) and adapted to the unlabelled {@code target} by {@code method}.
     */
    Trained<M> adapt(C config, Split<D> source, D target, Method method, AdaptConfig settings, Context context);

    /** The features {@code model}'s classifier reads, one row per row of {@code rows}. */
    float[][] modelFeatures(M model, D rows, Progress progress);
}
