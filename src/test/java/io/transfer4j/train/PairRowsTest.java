package io.transfer4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SetFit's pairs: how many, which partners, and the same pairs on every draw. */
class PairRowsTest {
    @Test
    void everyTextGetsItsIterationsOfSameAndOtherClassPartners() {
        long[][] ids = new long[7][];
        int[] y = {0, 0, 0, 1, 1, 2, 2};
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new long[] {101, i, 102};
        }
        PairRows rows = new PairRows(ids, y, 3, 4, 11, List.of("input_ids", "attention_mask"));
        assertEquals(2 * 4 * 7, rows.size());
        int[] t = PairRows.targets(7, 4);
        assertEquals(rows.size(), t.length);
        int[] positives = new int[7];
        for (int k = 0; k < rows.size(); k++) {
            int anchor = k % 7;
            int partner = rows.partner(k);
            if (t[k] == 1) {
                assertEquals(y[anchor], y[partner], "pair " + k);
                assertNotEquals(anchor, partner, "pair " + k);
                positives[anchor]++;
            } else {
                assertNotEquals(y[anchor], y[partner], "pair " + k);
            }
            assertEquals(partner, new PairRows(ids, y, 3, 4, 11, List.of("input_ids")).partner(k), "reproducible");
        }
        assertArrayEquals(new int[] {4, 4, 4, 4, 4, 4, 4}, positives);
    }

    @Test
    void aBatchIsItsAnchorsThenTheirPartners() {
        long[][] ids = {{5}, {6, 7}, {8}};
        PairRows rows = new PairRows(ids, new int[] {0, 1, 1}, 2, 1, 3, List.of("input_ids", "attention_mask"));
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            var b = rows.batch(m, new int[] {0, 2});
            assertEquals(new ai.djl.ndarray.types.Shape(4, 2), b.get(0).getShape());
            long[] flat = b.get(0).toLongArray();
            assertEquals(5, flat[0]); // anchor of pair 0: text 0
            assertEquals(8, flat[2]); // anchor of pair 2: text 2
            assertEquals(5, flat[4]); // text 0 is alone in class 0: its same-class pair is itself
            assertArrayEquals(new long[] {6, 7}, java.util.Arrays.copyOfRange(flat, 6, 8)); // text 2's same-class partner: text 1
        }
    }
}
