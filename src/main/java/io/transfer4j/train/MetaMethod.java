package io.transfer4j.train;

import java.util.Locale;

/** How {@code meta-train} learns from episodes. */
public enum MetaMethod {
    /** Prototypical Networks (Snell et al., 2017): the episode's query loss under nearest-prototype logits, backpropagated. */
    PROTONET,
    /**
     * MAML (Finn et al., 2017), first order: the whole network adapted to the support rows by a few
     * SGD steps, the query loss's gradient at the adapted weights applied to the initial ones.
     * Second order would backpropagate through the inner steps, which needs the inner updates
     * in the autograd graph; DJL's parameters are updated in place, outside it.
     */
    MAML,
    /** Reptile (Nichol et al., 2018): adapted on the whole episode, the meta-gradient is the initial minus the adapted weights. */
    REPTILE,
    /** ANIL (Raghu et al., 2020): MAML with only the head adapted in the inner loop; first order, like {@link #MAML}. */
    ANIL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the method trains an N-way head alongside the body (the inner-loop methods). */
    public boolean hasHead() {
        return this != PROTONET;
    }

    public static MetaMethod parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.transfer4j.util.UserException("unknown meta-learning method '" + s + "'; choose protonet, maml, reptile or anil");
        }
    }
}
