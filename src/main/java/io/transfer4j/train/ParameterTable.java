package io.transfer4j.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every parameter of a model with its group, depth and role: what a {@link Strategy} decides over.
 * Groups are ordered from the input up; the head is always the deepest.
 */
public final class ParameterTable {
    private final List<TunedParameter> entries;
    private final List<String> groups;

    private ParameterTable(List<TunedParameter> entries, List<String> groups) {
        this.entries = List.copyOf(entries);
        this.groups = List.copyOf(groups);
    }

    /**
     * @param groupOf the structural group of a parameter
     * @param roleOf its role
     * @param groupOrder body groups from the input up (groups not listed come after them, in
     *     order of appearance; the head group last)
     */
    /**
     * The table of a network that is an imported body plus a new head (the vision and audio
     * classifiers): head parameters in group "head", adapters by their role, the rest by the
     * body's groups.
     */
    public static ParameterTable ofBodyAndHead(Block network, io.transfer4j.onnx.OnnxBlock body, Block head) {
        java.util.Set<Parameter> headParams = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        headParams.addAll(head.getParameters().values());
        return of(network,
                p -> headParams.contains(p) ? "head" : body.groupOf(p.getName()),
                p -> headParams.contains(p) ? TunedParameter.Role.HEAD
                        : io.transfer4j.onnx.OnnxBlock.isAdapter(p.getName()) ? TunedParameter.Role.ADAPTER : TunedParameter.Role.BODY,
                body.groupOrder());
    }

    public static ParameterTable of(Block block, Function<Parameter, String> groupOf,
            Function<Parameter, TunedParameter.Role> roleOf, List<String> groupOrder) {
        List<Pair<String, Parameter>> params = new ArrayList<>();
        block.getParameters().forEach(params::add);
        List<String> order = new ArrayList<>(groupOrder);
        String headGroup = null;
        for (Pair<String, Parameter> p : params) {
            String g = groupOf.apply(p.getValue());
            if (roleOf.apply(p.getValue()) == TunedParameter.Role.HEAD) {
                headGroup = g;
            } else if (!order.contains(g)) {
                order.add(g);
            }
        }
        if (headGroup != null) {
            order.remove(headGroup);
            order.add(headGroup);
        }
        List<TunedParameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : params) {
            String g = groupOf.apply(p.getValue());
            out.add(new TunedParameter(p.getKey(), p.getValue(), g, order.indexOf(g), roleOf.apply(p.getValue())));
        }
        List<String> used = order.stream().filter(g -> out.stream().anyMatch(t -> t.group().equals(g))).toList();
        List<TunedParameter> renumbered = out.stream()
                .map(t -> new TunedParameter(t.key(), t.parameter(), t.group(), used.indexOf(t.group()), t.role())).toList();
        return new ParameterTable(renumbered, used);
    }

    /** A model whose every parameter is new (a head on features): one group, all HEAD. */
    public static ParameterTable allHead(Block block) {
        return of(block, p -> "head", p -> TunedParameter.Role.HEAD, List.of());
    }

    public List<TunedParameter> entries() {
        return entries;
    }

    /** Group names from the input up, the head's last. */
    public List<String> groups() {
        return groups;
    }

    /** Number of body groups (those below the head). */
    public int bodyGroups() {
        return (int) groups.stream().filter(g -> entries.stream().anyMatch(t -> t.group().equals(g)
                && t.role() != TunedParameter.Role.HEAD)).count();
    }

    public Map<String, TunedParameter> byKey() {
        Map<String, TunedParameter> m = new LinkedHashMap<>();
        entries.forEach(t -> m.put(t.key(), t));
        return Collections.unmodifiableMap(m);
    }

    /** Number of values in the given parameters. */
    public static long count(java.util.Collection<TunedParameter> ps) {
        return ps.stream().mapToLong(t -> t.parameter().getArray().size()).sum();
    }

    /** Values trained in at least one epoch of a {@code cfg} run under {@code strategy}. */
    public long trainedBy(Strategy strategy, TrainConfig cfg) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int e = 1; e <= cfg.maxEpochs(); e++) {
            keys.addAll(strategy.phase(this, e, cfg.maxEpochs(), cfg.optimization().layerDecay()).keySet());
        }
        Map<String, TunedParameter> byKey = byKey();
        return count(keys.stream().map(byKey::get).toList());
    }

    /** Values of every trainable (non-state) parameter. */
    public long trainableTotal() {
        return count(entries.stream().filter(t -> !t.isState()).toList());
    }
}
