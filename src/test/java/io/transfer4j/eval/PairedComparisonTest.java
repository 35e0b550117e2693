package io.transfer4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PairedComparisonTest {
    /** 100 examples: transfer alone right on 10, scratch alone right on 2, both right on the rest. */
    @Test
    void mcNemarsExactTestOnTheDiscordantPairs() {
        int n = 100;
        int[] truth = new int[n];
        int[] transfer = new int[n];
        int[] scratch = new int[n];
        for (int i = 0; i < 10; i++) {
            scratch[i] = 1;
        }
        for (int i = 10; i < 12; i++) {
            transfer[i] = 1;
        }
        PairedComparison c = PairedComparison.of(truth, transfer, scratch);
        assertEquals(10, c.onlyTransfer());
        assertEquals(2, c.onlyScratch());
        assertEquals(0.08, c.gain(), 1e-12);
        // 2 * P(X <= 2), X ~ Bin(12, 1/2) = 2 * (1 + 12 + 66) / 4096
        assertEquals(158.0 / 4096, c.pValue(), 1e-12);
        assertEquals(SeedComparison.Verdict.POSITIVE_TRANSFER, c.verdict());
        double se = Math.sqrt((12.0 / n - 0.08 * 0.08) / n);
        assertEquals(0.08 - 1.96 * se, c.gainLow95(), 1e-12);

        PairedComparison reversed = PairedComparison.of(truth, scratch, transfer);
        assertEquals(SeedComparison.Verdict.NEGATIVE_TRANSFER, reversed.verdict());
        PairedComparison same = PairedComparison.of(truth, transfer, transfer);
        assertEquals(1.0, same.pValue());
        assertEquals(SeedComparison.Verdict.INCONCLUSIVE, same.verdict());
    }
}
