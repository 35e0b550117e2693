package io.transfer4j.fewshot;

import java.util.Locale;

/** How a prototype classifier measures closeness. */
public enum Metric {
    /** Cosine similarity of unit-length rows: scale-free, the usual choice for sentence embeddings. */
    COSINE,
    /** Squared Euclidean distance on the features as they are (Prototypical Networks' choice). */
    EUCLIDEAN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Metric parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.transfer4j.util.UserException("unknown metric '" + s + "'; choose cosine or euclidean");
        }
    }
}
