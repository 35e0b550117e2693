package io.transfer4j.adapt;

import io.transfer4j.util.UserException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a model trained on labelled source rows is adapted to unlabelled target rows. Every method
 * trains through the one training loop: the classification loss on source batches plus, for the
 * feature-alignment methods, a loss between source and target batches of the same step.
 */
public enum Method {
    /** The source model as it is: the baseline every adapt run also trains. */
    SOURCE_ONLY("source-only", "the classifier trained on the source alone"),
    /** Source-only training, then every BatchNorm layer's statistics re-estimated on the target (Li et al., 2016). */
    ADABN("adabn", "BatchNorm statistics re-estimated on the target"),
    /** Deep CORAL: the distance between source and target feature covariances (Sun & Saenko, 2016). */
    CORAL("coral", "feature covariances aligned"),
    /** DAN: multi-kernel maximum mean discrepancy between source and target features (Long et al., 2015). */
    DAN("dan", "multi-kernel MMD between the domains' features"),
    /** DANN: a domain discriminator trained through a gradient-reversal layer (Ganin et al., 2016). */
    DANN("dann", "domain-adversarial training through gradient reversal"),
    /** CDAN+E: the discriminator sees features times predictions, entropy-weighted (Long et al., 2018). */
    CDAN("cdan", "conditional adversarial training, entropy-weighted"),
    /** Pseudo-labels on confident target rows, FixMatch-style: predicted on a plain view, learnt on an augmented one. */
    SELF_TRAINING("self-training", "confidence-thresholded pseudo-labels on the target"),
    /** Every method the modality can run, the one of lowest label-free estimated target risk kept. */
    AUTO("auto", "every method, chosen by the label-free estimate of target risk");

    private final String id;
    private final String description;

    Method(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** Methods that add a loss between source and target batches (the others train on the source alone). */
    public boolean alignsDomains() {
        return this == CORAL || this == DAN || this == DANN || this == CDAN || this == SELF_TRAINING;
    }

    /** Methods with a domain discriminator. */
    public boolean adversarial() {
        return this == DANN || this == CDAN;
    }

    /** The concrete methods, in the order {@link #AUTO} tries them. */
    public static List<Method> concrete() {
        return List.of(SOURCE_ONLY, ADABN, CORAL, DAN, DANN, CDAN, SELF_TRAINING);
    }

    public static Method parse(String s) {
        String want = s.trim().toLowerCase(Locale.ROOT);
        for (Method m : values()) {
            if (m.id.equals(want) || m.name().equalsIgnoreCase(want)) {
                return m;
            }
        }
        throw new UserException("unknown adaptation method '" + s + "'; choose one of "
                + Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", ")));
    }
}
