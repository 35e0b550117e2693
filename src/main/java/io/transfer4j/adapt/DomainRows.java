package io.transfer4j.adapt;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.transfer4j.train.Rows;
import java.util.Arrays;
import java.util.Random;

/**
 * Training rows for adaptation: each batch of labelled source rows comes with as many target rows
 * drawn for it and the source rows' targets, so one step sees both domains. The target rows are a
 * function of the run's seed and the batch's rows (the same batch draws the same target rows
 * after a resume). {@code targetStrong}, when given, is an augmented view of the same target rows
 * (self-training learns on it what it predicts on the plain view).
 */
public final class DomainRows implements Rows {
    private final Rows source;
    private final int[] sourceY;
    private final int classes;
    private final Rows target;
    private final Rows targetStrong;
    private final long seed;

    public DomainRows(Rows source, int[] sourceY, int classes, Rows target, Rows targetStrong, long seed) {
        if (source.size() != sourceY.length) {
            throw new IllegalArgumentException(source.size() + " source rows but " + sourceY.length + " labels");
        }
        if (target.size() == 0) {
            throw new IllegalArgumentException("no target rows");
        }
        this.source = source;
        this.sourceY = sourceY.clone();
        this.classes = classes;
        this.target = target;
        this.targetStrong = targetStrong;
        this.seed = seed;
    }

    @Override
    public int size() {
        return source.size();
    }

    /** [source inputs, target inputs, one-hot source targets (, augmented target inputs)]. */
    @Override
    public NDList batch(NDManager manager, int[] rows) {
        int[] t = targetRows(rows);
        float[] q = new float[rows.length * classes];
        for (int r = 0; r < rows.length; r++) {
            q[r * classes + sourceY[rows[r]]] = 1f;
        }
        NDList out = new NDList(source.batch(manager, rows).head(), target.batch(manager, t).head(),
                manager.create(q, new Shape(rows.length, classes)));
        if (targetStrong != null) {
            out.add(targetStrong.batch(manager, t).head());
        }
        return out;
    }

    /** The target rows drawn for a batch of source rows (with replacement). */
    int[] targetRows(int[] rows) {
        Random rng = new Random(seed * 1_000_003L + 31L * Arrays.hashCode(rows) + 7);
        int[] t = new int[rows.length];
        for (int r = 0; r < t.length; r++) {
            t[r] = rng.nextInt(target.size());
        }
        return t;
    }

    /** The classifier's input shapes (what initialises the network). */
    @Override
    public Shape[] shapes(int n) {
        return source.shapes(n);
    }
}
