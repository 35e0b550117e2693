package io.transfer4j.data;

import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Splits labelled data so each part keeps the class proportions, reproducibly from a seed.
 * Every class needs at least one example in each part, so a class with fewer than three examples
 * (two when there is no test part) is rejected with a message naming it.
 *
 * @param validationFraction share of each class for validation, in (0, 1)
 * @param testFraction share of each class for test, in [0, 1); 0 when the test set comes from elsewhere
 */
public record StratifiedSplitter(double validationFraction, double testFraction, long seed) {
    public StratifiedSplitter {
        if (validationFraction <= 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
            throw new UserException("split fractions must satisfy 0 < validation, 0 <= test, validation + test < 1; got "
                    + validationFraction + " and " + testFraction);
        }
    }

    public Split split(TextDataset data) {
        data.requireTrainable();
        Map<String, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            byClass.computeIfAbsent(data.labels().get(i), k -> new ArrayList<>()).add(i);
        }
        int needed = testFraction > 0 ? 3 : 2;
        Random rng = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byClass.entrySet()) {
            List<Integer> idx = e.getValue();
            if (idx.size() < needed) {
                throw new UserException("class '" + e.getKey() + "' has only " + idx.size() + " example(s) in "
                        + data.source() + "; each class needs at least " + needed + " to be split, so add examples or drop the class");
            }
            Collections.shuffle(idx, rng);
            int n = idx.size();
            int nTest = testFraction > 0 ? Math.max(1, (int) Math.round(n * testFraction)) : 0;
            int nVal = Math.max(1, (int) Math.round(n * validationFraction));
            if (nTest + nVal >= n) {
                nVal = Math.max(1, n - nTest - 1);
            }
            test.addAll(idx.subList(0, nTest));
            val.addAll(idx.subList(nTest, nTest + nVal));
            train.addAll(idx.subList(nTest + nVal, n));
        }
        // Mixed order, so batches are not sorted by class.
        Collections.shuffle(train, rng);
        return new Split(data.subset(toArray(train), "#train"), data.subset(toArray(val), "#validation"),
                data.subset(toArray(test), "#test"));
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
