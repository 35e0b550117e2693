package io.transfer4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.transfer4j.data.LabelMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final LabelMap ABC = new LabelMap(List.of("a", "b", "c"));

    @Test
    void confusionAccuracyAndMacroF1MatchHandComputation() {
        int[] truth = {0, 0, 0, 1, 1, 2, 2, 2, 2, 2};
        int[] pred = {0, 0, 1, 1, 2, 2, 2, 2, 0, 2};
        Metrics m = Metrics.compute(truth, pred, ABC);
        assertEquals(0.7, m.accuracy(), 1e-12);
        assertArrayEquals(new int[] {2, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new int[] {0, 1, 1}, m.confusion()[1]);
        assertArrayEquals(new int[] {1, 0, 4}, m.confusion()[2]);
        // a: p=2/3 r=2/3; b: p=1/2 r=1/2; c: p=4/5 r=4/5
        assertEquals(2.0 / 3, m.perClass().get(0).f1(), 1e-12);
        assertEquals(0.5, m.perClass().get(1).f1(), 1e-12);
        assertEquals(0.8, m.perClass().get(2).f1(), 1e-12);
        assertEquals((2.0 / 3 + 0.5 + 0.8) / 3, m.macroF1(), 1e-12);
        assertEquals(5, m.perClass().get(2).support());
    }

    @Test
    void classNeverPredictedHasZeroPrecisionNotNaN() {
        Metrics m = Metrics.compute(new int[] {0, 1, 2}, new int[] {0, 0, 0}, ABC);
        assertEquals(0.0, m.perClass().get(1).precision());
        assertEquals(0.0, m.perClass().get(1).f1());
    }

    @Test
    void wilsonIntervalMatchesReferenceValues() {
        // 8 of 10: Wilson 95% interval (0.4902, 0.9433), e.g. statsmodels proportion_confint(method="wilson")
        double[] ci = Metrics.wilson(8, 10);
        assertEquals(0.4902, ci[0], 1e-4);
        assertEquals(0.9433, ci[1], 1e-4);
        double[] all = Metrics.wilson(50, 50);
        assertEquals(1.0, all[1], 1e-12);
        assertEquals(0.9287, all[0], 1e-4);
    }
}
