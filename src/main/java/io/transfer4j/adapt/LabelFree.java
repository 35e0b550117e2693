package io.transfer4j.adapt;

/**
 * What is known about a trained model's target risk without target labels, two ways:
 * <ul>
 *   <li>{@code dev}: deep embedded validation, the importance-weighted source validation loss;</li>
 *   <li>{@code bound}: the estimable terms of Ben-David et al.'s bound, ε_T ≤ ε_S + ½ d(S, T) + λ: the
 *       source validation error plus half the proxy A-distance between source and target rows in the
 *       model's own feature space (the classifier can only be as good on the target as the features
 *       are indistinguishable across domains).</li>
 * </ul>
 * Importance weighting assumes the domains overlap; when a domain classifier separates them almost
 * perfectly (the weights of all source rows near 0) DEV's estimate is unreliable, while the bound
 * stays meaningful. Which one chooses is {@link AdaptConfig#selection()}.
 */
public record LabelFree(DeepEmbeddedValidation dev, double sourceError, double proxyADistance, double bound) {
    public static LabelFree of(DeepEmbeddedValidation dev, double sourceError, double proxyADistance) {
        return new LabelFree(dev, sourceError, proxyADistance, sourceError + proxyADistance / 2);
    }

    /** The estimate {@code selection} ranks by (lower is better). */
    public double score(Selection selection) {
        return selection == Selection.DEV ? dev.risk() : bound;
    }

    /** Which label-free estimate chooses among the trained models. */
    public enum Selection {
        BOUND("bound", "source validation error + half the proxy A-distance in the model's feature space (Ben-David et al.)"),
        DEV("dev", "deep embedded validation (importance-weighted source validation loss with a control variate)");

        private final String id;
        private final String description;

        Selection(String id, String description) {
            this.id = id;
            this.description = description;
        }

        public String id() {
            return id;
        }

        public String description() {
            return description;
        }

        public static Selection parse(String s) {
            for (Selection v : values()) {
                if (v.id.equalsIgnoreCase(s.trim())) {
                    return v;
                }
            }
            throw new io.transfer4j.util.UserException("unknown selection '" + s + "'; choose bound or dev");
        }
    }
}
