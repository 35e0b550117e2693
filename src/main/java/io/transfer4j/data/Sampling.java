package io.transfer4j.data;

import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Disjoint random subsets of one dataset, reproducible from a seed (e.g. 1,000 train and 5,000 test reviews). */
public final class Sampling {
    private Sampling() {}

    public static List<TextDataset> disjoint(TextDataset data, long seed, int... sizes) {
        int total = Arrays.stream(sizes).sum();
        if (total > data.size()) {
            throw new UserException(data.source() + " has " + data.size() + " examples but " + total
                    + " were asked for; lower the sizes");
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(seed));
        List<TextDataset> out = new ArrayList<>();
        int at = 0;
        for (int k = 0; k < sizes.length; k++) {
            int[] part = idx.subList(at, at + sizes[k]).stream().mapToInt(Integer::intValue).toArray();
            out.add(data.subset(part, "#sample" + k));
            at += sizes[k];
        }
        return out;
    }
}
