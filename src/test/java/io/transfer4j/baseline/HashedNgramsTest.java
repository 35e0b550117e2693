package io.transfer4j.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HashedNgramsTest {
    private final HashedNgrams h = new HashedNgrams(1 << 18, 1024);

    @Test
    void unigramsAndBigramsCaseInsensitiveAndStable() {
        long[] a = h.ids("Not good");
        long[] b = h.ids("not GOOD!");
        assertArrayEquals(a, b);
        assertEquals(3, a.length); // not, good, "not good"
        assertArrayEquals(new long[] {h.ids("not")[0], h.ids("good")[0]}, new long[] {a[0], a[1]});
        for (long id : a) {
            assertTrue(id >= 0 && id < (1 << 18));
        }
    }

    @Test
    void capsLongTextsAndNeverReturnsEmpty() {
        assertEquals(1024, h.ids("word ".repeat(5000)).length);
        assertEquals(1, h.ids("!!!").length);
    }
}
