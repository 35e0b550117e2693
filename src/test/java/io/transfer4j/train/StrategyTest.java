package io.transfer4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which parameters each strategy trains, epoch by epoch, and at what rate. */
class StrategyTest {
    private Model model;
    private ParameterTable table;

    @BeforeEach
    void threeLayersAndAHead() {
        model = Model.newInstance("s");
        SequentialBlock b = new SequentialBlock();
        String[] names = {"layer.0", "layer.1", "layer.2", "head"};
        Map<Parameter, String> group = new IdentityHashMap<>();
        for (int i = 0; i < 4; i++) {
            Linear l = Linear.builder().setUnits(i == 3 ? 2 : 4).build();
            b.add(l);
        }
        b.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4));
        for (int i = 0; i < 4; i++) {
            for (Parameter p : b.getChildren().valueAt(i).getParameters().values()) {
                group.put(p, names[i]);
            }
        }
        table = ParameterTable.of(b, group::get,
                p -> group.get(p).equals("head") ? TunedParameter.Role.HEAD : TunedParameter.Role.BODY,
                List.of("layer.0", "layer.1", "layer.2"));
    }

    @AfterEach
    void close() {
        model.close();
    }

    private Set<String> trained(Strategy s, int epoch, int epochs) {
        Map<String, TunedParameter> byKey = table.byKey();
        return s.phase(table, epoch, epochs, 1f).keySet().stream()
                .map(k -> byKey.get(k).group() + "/" + byKey.get(k).parameter().getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void groupsAreOrderedFromTheInputWithTheHeadLast() {
        assertEquals(List.of("layer.0", "layer.1", "layer.2", "head"), table.groups());
        assertEquals(3, table.bodyGroups());
    }

    @Test
    void fullTrainsEverythingAndPartialFreezesTheFirstGroups() {
        assertEquals(8, trained(Strategy.of(Strategy.Kind.FULL), 1, 3).size());
        assertEquals(Set.of("layer.2/weight", "layer.2/bias", "head/weight", "head/bias"),
                trained(Strategy.of(Strategy.Kind.PARTIAL).withFreeze(2, ""), 1, 3));
        // default: the lower half (1 of 3 groups) frozen
        assertEquals(6, trained(Strategy.of(Strategy.Kind.PARTIAL), 1, 3).size());
        assertEquals(Set.of("layer.0/weight", "layer.0/bias", "layer.2/weight", "layer.2/bias", "head/weight", "head/bias"),
                trained(Strategy.of(Strategy.Kind.PARTIAL).withFreeze(0, "layer\\.1"), 1, 3));
    }

    @Test
    void gradualUnfreezesOneGroupPerEpochFromTheTop() {
        Strategy g = Strategy.of(Strategy.Kind.GRADUAL);
        assertEquals(Set.of("layer.2/weight", "layer.2/bias", "head/weight", "head/bias"), trained(g, 1, 3));
        assertEquals(6, trained(g, 2, 3).size());
        assertEquals(8, trained(g, 3, 3).size());
    }

    @Test
    void bitfitTrainsBiasesAndTheHeadLoraOnlyAdaptersAndTheHead() {
        assertEquals(Set.of("layer.0/bias", "layer.1/bias", "layer.2/bias", "head/weight", "head/bias"),
                trained(Strategy.of(Strategy.Kind.BITFIT), 1, 3));
        assertEquals(Set.of("head/weight", "head/bias"), trained(Strategy.of(Strategy.Kind.LORA), 1, 3));
    }

    @Test
    void layerDecayScalesEachGroupBelowTheHead() {
        Map<String, Float> rates = Strategy.of(Strategy.Kind.FULL).phase(table, 1, 3, 0.5f);
        Map<String, TunedParameter> byKey = table.byKey();
        rates.forEach((k, v) -> {
            float expected = switch (byKey.get(k).group()) {
                case "head" -> 1f;
                case "layer.2" -> 0.5f;
                case "layer.1" -> 0.25f;
                default -> 0.125f;
            };
            assertEquals(expected, v, 1e-7, k);
        });
    }
}
