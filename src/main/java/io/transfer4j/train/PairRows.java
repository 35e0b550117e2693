package io.transfer4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * SetFit's training pairs of labelled token sequences, drawn on demand: pair {@code k} takes
 * text {@code k mod n} as its anchor and, in round {@code k / n}, a partner of the anchor's class
 * (even rounds, target 1) or of another class (odd rounds, target 0), chosen by a generator seeded
 * with {@code (seed, k)}. So {@code 2 x iterations x n} pairs exist, each reproducible, and a batch
 * materialises only its own: memory grows with the batch, not with the square of the shots.
 * A batch is given to the encoder as its anchors followed by their partners.
 */
public final class PairRows implements Rows {
    private final long[][] ids;
    private final int[] labels;
    private final int iterations;
    private final long seed;
    private final List<String> inputNames;
    private final List<List<Integer>> byClass = new ArrayList<>();

    public PairRows(long[][] ids, int[] labels, int classes, int iterations, long seed, List<String> inputNames) {
        if (ids.length != labels.length || iterations < 1) {
            throw new IllegalArgumentException(ids.length + " texts, " + labels.length + " labels, " + iterations + " iterations");
        }
        this.ids = ids;
        this.labels = labels.clone();
        this.iterations = iterations;
        this.seed = seed;
        this.inputNames = List.copyOf(inputNames);
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
    }

    @Override
    public int size() {
        return 2 * iterations * ids.length;
    }

    /** The loop's targets for {@code texts} texts and {@code iterations}: 1 for a same-class pair, 0 otherwise. */
    public static int[] targets(int texts, int iterations) {
        int[] t = new int[2 * iterations * texts];
        for (int k = 0; k < t.length; k++) {
            t[k] = (k / texts) % 2 == 0 ? 1 : 0;
        }
        return t;
    }

    private boolean positive(int k) {
        return (k / ids.length) % 2 == 0;
    }

    /** The partner of pair {@code k}'s anchor. */
    int partner(int k) {
        int anchor = k % ids.length;
        Random r = new Random(seed * 1_000_003L + k);
        int c = labels[anchor];
        if (positive(k)) {
            List<Integer> same = byClass.get(c);
            if (same.size() == 1) {
                return anchor; // a class with one text pairs it with itself
            }
            int j = same.get(r.nextInt(same.size() - 1));
            return j == anchor ? same.get(same.size() - 1) : j;
        }
        int others = ids.length - byClass.get(c).size();
        int pick = r.nextInt(others);
        for (int o = 0; o < byClass.size(); o++) {
            if (o == c) {
                continue;
            }
            if (pick < byClass.get(o).size()) {
                return byClass.get(o).get(pick);
            }
            pick -= byClass.get(o).size();
        }
        throw new IllegalStateException("no text of another class");
    }

    @Override
    public NDList batch(NDManager manager, int[] rows) {
        int[] texts = new int[2 * rows.length];
        for (int i = 0; i < rows.length; i++) {
            texts[i] = rows[i] % ids.length;
            texts[rows.length + i] = partner(rows[i]);
        }
        return EncoderRows.inputs(manager, PaddedIds.of(ids, texts), inputNames);
    }

    @Override
    public Shape[] shapes(int n) {
        return inputNames.stream().map(x -> new Shape(2L * n, 8)).toArray(Shape[]::new);
    }
}
