package io.transfer4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.data.LabelMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupAuditTest {
    private static final LabelMap NEG_POS = new LabelMap(List.of("negative", "positive"));

    @Test
    void perGroupRatesAndGapsMatchHandCounts() {
        // group a: truth 1 1 0 0, pred 1 0 0 1 -> acc 2/4, TPR 1/2, FPR 1/2
        // group b: truth 1 1 1 0 0 0, pred 1 1 1 0 0 0 -> acc 1, TPR 1, FPR 0
        int[] truth = {1, 1, 0, 0, 1, 1, 1, 0, 0, 0};
        int[] pred = {1, 0, 0, 1, 1, 1, 1, 0, 0, 0};
        List<String> g = List.of("a", "a", "a", "a", "b", "b", "b", "b", "b", "b");
        GroupAudit audit = GroupAudit.of("m", truth, pred, g, NEG_POS);
        assertEquals("positive", audit.positiveClass());
        GroupAudit.Group a = audit.groups().get(0);
        assertEquals(4, a.size());
        assertEquals(0.5, a.accuracy(), 1e-12);
        assertEquals(0.5, a.truePositiveRate(), 1e-12);
        assertEquals(0.5, a.falsePositiveRate(), 1e-12);
        assertEquals(0.5, audit.accuracy().value(), 1e-12);
        assertEquals("b", audit.accuracy().highest());
        assertEquals("a", audit.accuracy().lowest());
        assertEquals(0.5, audit.falsePositiveRate().value(), 1e-12);
        assertEquals("a", audit.falsePositiveRate().highest());
    }

    @Test
    void aRateWithoutExamplesIsUndefinedNotZero() {
        // group c has no positives: its TPR is undefined and left out of the TPR gap
        int[] truth = {1, 0, 0, 0};
        int[] pred = {1, 0, 1, 0};
        GroupAudit audit = GroupAudit.of("m", truth, pred, List.of("a", "a", "c", "c"), NEG_POS);
        assertTrue(Double.isNaN(audit.groups().get(1).truePositiveRate()));
        assertEquals(0, audit.truePositiveRate().value(), 1e-12);
        assertEquals(0.5, audit.falsePositiveRate().value(), 1e-12);
    }

    @Test
    void transferThatWidensAGapOverScratchIsFlagged() {
        int[] truth = {1, 1, 0, 0, 1, 1, 0, 0};
        List<String> g = List.of("a", "a", "a", "a", "b", "b", "b", "b");
        GroupAudit scratch = GroupAudit.of("scratch", truth, new int[] {1, 0, 0, 0, 1, 0, 0, 0}, g, NEG_POS);
        GroupAudit fair = GroupAudit.of("fair", truth, new int[] {1, 1, 0, 0, 1, 1, 0, 0}, g, NEG_POS);
        GroupAudit unfair = GroupAudit.of("unfair", truth, new int[] {1, 1, 0, 0, 0, 0, 0, 0}, g, NEG_POS);
        assertTrue(BiasAudit.of(scratch, List.of(fair)).warnings().isEmpty());
        List<String> w = BiasAudit.of(scratch, List.of(fair, unfair)).warnings();
        assertEquals(2, w.size(), w.toString()); // accuracy and TPR gaps widen, FPR stays 0
        assertTrue(w.get(0).startsWith("BIAS: unfair widens the accuracy gap between groups from 0.0 to 50.0 points"), w.get(0));
    }

    @Test
    void multiClassRatesAreMacroAveragedOneVsRest() {
        LabelMap abc = new LabelMap(List.of("a", "b", "c"));
        // one group, truth 0 1 2, pred 0 1 1: TPR per class 1, 1, 0 -> 2/3; FPR: a 0/2, b 1/2, c 0/2 -> 1/6
        GroupAudit audit = GroupAudit.of("m", new int[] {0, 1, 2}, new int[] {0, 1, 1}, List.of("g", "g", "g"), abc);
        assertEquals(2.0 / 3, audit.groups().get(0).truePositiveRate(), 1e-12);
        assertEquals(1.0 / 6, audit.groups().get(0).falsePositiveRate(), 1e-12);
        assertEquals("macro over classes", audit.positiveClass());
    }
}
