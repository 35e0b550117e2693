package io.transfer4j.select;

import io.transfer4j.eval.SeedComparison;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedComparisonTest {
    @Test
    void pairedGainsGiveAStudentTIntervalAndAVerdict() {
        SeedComparison up = SeedComparison.of(List.of(1L, 2L, 3L), List.of(0.9, 0.8, 0.85), List.of(0.7, 0.7, 0.7));
        // gains 0.2, 0.1, 0.15: mean 0.15, sd 0.05, half-width 4.303 * 0.05 / sqrt(3)
        assertEquals(0.15, up.meanGain(), 1e-12);
        assertEquals(0.15 - 4.303 * 0.05 / Math.sqrt(3), up.gainLow95(), 1e-9);
        assertEquals(SeedComparison.Verdict.POSITIVE_TRANSFER, up.verdict());
        SeedComparison down = SeedComparison.of(List.of(1L, 2L, 3L), List.of(0.7, 0.7, 0.7), List.of(0.9, 0.8, 0.85));
        assertEquals(SeedComparison.Verdict.NEGATIVE_TRANSFER, down.verdict());
        SeedComparison unsure = SeedComparison.of(List.of(1L, 2L, 3L), List.of(0.8, 0.6, 0.75), List.of(0.7, 0.7, 0.7));
        assertEquals(SeedComparison.Verdict.INCONCLUSIVE, unsure.verdict());
    }
}
