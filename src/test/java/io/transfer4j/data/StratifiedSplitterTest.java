package io.transfer4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StratifiedSplitterTest {
    private static TextDataset data(int pos, int neg) {
        List<String> t = new ArrayList<>();
        List<String> l = new ArrayList<>();
        for (int i = 0; i < pos; i++) {
            t.add("p" + i);
            l.add("pos");
        }
        for (int i = 0; i < neg; i++) {
            t.add("n" + i);
            l.add("neg");
        }
        return TextDataset.of(t, l);
    }

    @Test
    void keepsClassProportionsAndPartsAreDisjointAndComplete() {
        Split<TextDataset> s = new StratifiedSplitter(0.1, 0.2, 7).split(data(300, 100));
        assertEquals(60, s.test().classCounts().get("pos"));
        assertEquals(20, s.test().classCounts().get("neg"));
        assertEquals(30, s.validation().classCounts().get("pos"));
        assertEquals(10, s.validation().classCounts().get("neg"));
        Set<String> all = new HashSet<>();
        all.addAll(s.train().texts());
        all.addAll(s.validation().texts());
        all.addAll(s.test().texts());
        assertEquals(400, all.size());
        assertEquals(400, s.train().size() + s.validation().size() + s.test().size());
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        TextDataset d = data(50, 50);
        assertEquals(new StratifiedSplitter(0.1, 0.2, 1).split(d).test().texts(),
                new StratifiedSplitter(0.1, 0.2, 1).split(d).test().texts());
        assertNotEquals(new StratifiedSplitter(0.1, 0.2, 1).split(d).test().texts(),
                new StratifiedSplitter(0.1, 0.2, 2).split(d).test().texts());
    }

    @Test
    void tinyClassesStillGetOneExampleInEachPart() {
        Split<TextDataset> s = new StratifiedSplitter(0.1, 0.2, 3).split(data(3, 40));
        assertEquals(1, s.test().classCounts().get("pos"));
        assertEquals(1, s.validation().classCounts().get("pos"));
        assertEquals(1, s.train().classCounts().get("pos"));
    }

    @Test
    void rejectsSingleClassAndTooSmallClassesWithActionableMessages() {
        UserException one = assertThrows(UserException.class, () -> new StratifiedSplitter(0.1, 0.2, 1).split(data(10, 0)));
        assertTrue(one.getMessage().contains("single class"), one.getMessage());
        UserException small = assertThrows(UserException.class, () -> new StratifiedSplitter(0.1, 0.2, 1).split(data(2, 10)));
        assertTrue(small.getMessage().contains("class 'pos' has only 2"), small.getMessage());
        assertThrows(UserException.class, () -> new StratifiedSplitter(0.1, 0.2, 1).split(data(0, 0)));
    }
}
