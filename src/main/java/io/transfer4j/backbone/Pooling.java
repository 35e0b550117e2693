package io.transfer4j.backbone;

/** How token vectors become one sentence vector; each encoder was trained with one of these. */
public enum Pooling {
    /** Average of the token vectors under the attention mask (MiniLM, e5). */
    MEAN,
    /** The first ([CLS]) token's vector (bge). */
    CLS,
    /** The graph's own pooled output, {@code pooler_output} (BERT's tanh(dense([CLS])), trained for next-sentence prediction). */
    POOLER;

    /** "mean", "cls" or "pooler", any case; a one-line error otherwise. */
    public static Pooling parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.transfer4j.util.UserException("unknown pooling '" + s + "'; choose mean, cls or pooler");
        }
    }

    /** The graph output this pooling reads directly, or null when it pools the token vectors. */
    public String graphOutput() {
        return this == POOLER ? "pooler_output" : null;
    }
}
