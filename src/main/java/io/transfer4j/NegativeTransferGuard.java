package io.transfer4j;

import io.transfer4j.eval.SeedComparison;
import io.transfer4j.TextTransfer;
import io.transfer4j.run.TransferRun;
import io.transfer4j.data.TextDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Repeats a transfer run and its scratch baseline over further seeds (same configuration, same
 * budget, a fresh split per seed) and compares them, so "transfer helped" is a claim with a
 * confidence interval rather than one lucky split.
 */
public final class NegativeTransferGuard {
    private NegativeTransferGuard() {}

    /**
     * @param first the run already made with {@code transfer}'s seed; {@code seeds - 1} more follow
     * @param test held-out data, or null to hold out part of {@code data} per seed
     */
    public static SeedComparison compare(TextTransfer transfer, TextDataset data, TextDataset test, TransferRun first,
            int seeds) {
        List<Long> used = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        List<Double> s = new ArrayList<>();
        used.add(first.config().seed());
        t.add(first.transfer().test().accuracy());
        s.add(first.scratch().test().accuracy());
        for (int i = 1; i < seeds; i++) {
            long seed = first.config().seed() + i;
            TextTransfer again = transfer.seed(seed);
            try (TransferRun r = test == null ? again.run(data) : again.run(data, test)) {
                used.add(seed);
                t.add(r.transfer().test().accuracy());
                s.add(r.scratch().test().accuracy());
            }
        }
        return SeedComparison.of(used, t, s);
    }
}
