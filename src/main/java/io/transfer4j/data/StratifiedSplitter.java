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
 * (two when there is no test part) is rejected with a message naming it. Any modality's rows split
 * the same way ({@link Labelled}).
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

    public <D extends Labelled<D>> Split<D> split(D data) {
        data.requireTrainable();
        int[][] parts = indices(data.labels(), data.source(), data.rowNoun());
        return new Split<>(data.subset(parts[0], "#train"), data.subset(parts[1], "#validation"), data.subset(parts[2], "#test"));
    }

    /**
     * Row indices of train, validation and test, stratified by {@code labels}: per class a share
     * of {@code testFraction} (at least one when positive) is tested, {@code validationFraction}
     * (at least one) validates, the rest trains, in a mixed order so that batches are not sorted
     * by class.
     *
     * @param what what a row is, for the message when a class is too small ("image")
     */
    public int[][] indices(List<String> labels, String source, String what) {
        Map<String, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byClass.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        int needed = testFraction > 0 ? 3 : 2;
        Random rng = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byClass.entrySet()) {
            List<Integer> idx = e.getValue();
            if (idx.size() < needed) {
                throw new UserException("class '" + e.getKey() + "' has only " + idx.size() + " " + what + "(s) in "
                        + source + "; each class needs at least " + needed + " to be split, so add " + what + "s or drop the class");
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
        Collections.shuffle(train, rng);
        return new int[][] {toArray(train), toArray(val), toArray(test)};
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
