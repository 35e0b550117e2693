package io.transfer4j.fewshot;

import java.util.Locale;

/** What {@code fewshot --method} names. */
public enum Method {
    /** Nearest class prototype on frozen features (cosine or Euclidean; transductive with unlabelled queries). */
    PROTOTYPES,
    /** Logistic regression on the shots' frozen features. */
    PROBE,
    /** SetFit: the text encoder fine-tuned contrastively on pairs of shots, then a logistic head on its features. */
    SETFIT,
    /** Chosen on held-out shots among the prototypes and the probe (SetFit only when asked: it costs minutes). */
    AUTO;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Method parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.transfer4j.util.UserException("unknown few-shot method '" + s + "'; choose prototypes, probe, setfit or auto");
        }
    }
}
