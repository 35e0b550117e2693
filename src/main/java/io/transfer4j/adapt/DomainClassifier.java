package io.transfer4j.adapt;

import io.transfer4j.train.LinearProbe;
import io.transfer4j.util.Progress;
import java.util.Random;

/**
 * A logistic classifier telling source features from target features (the same probe every run
 * fits, L2 chosen on a held-out fifth): what the proxy A-distance measures and what importance
 * weights come from.
 */
final class DomainClassifier {
    /** Rows per domain the classifier sees at most (a sample, seeded). */
    static final int MAX_ROWS = 2000;

    private DomainClassifier() {}

    /** The probe on source (class 0) against target (class 1) rows, with a seeded fifth held out for its L2. */
    static LinearProbe.Fitted fit(float[][] source, float[][] target, long seed, Progress progress) {
        float[][] x = new float[source.length + target.length][];
        int[] y = new int[x.length];
        System.arraycopy(source, 0, x, 0, source.length);
        System.arraycopy(target, 0, x, source.length, target.length);
        for (int i = source.length; i < x.length; i++) {
            y[i] = 1;
        }
        int[] order = io.transfer4j.util.Permutations.shuffled(x.length, new Random(seed * 7 + 3));
        int nVal = Math.max(2, x.length / 5);
        float[][] tx = new float[x.length - nVal][];
        int[] ty = new int[tx.length];
        float[][] vx = new float[nVal][];
        int[] vy = new int[nVal];
        for (int i = 0; i < order.length; i++) {
            if (i < nVal) {
                vx[i] = x[order[i]];
                vy[i] = y[order[i]];
            } else {
                tx[i - nVal] = x[order[i]];
                ty[i - nVal] = y[order[i]];
            }
        }
        return LinearProbe.logistic(seed).fit("domain classifier", 2, tx, ty, vx, vy, progress);
    }

    /** At most {@code max} rows of {@code x}, drawn without replacement by {@code seed} (all of them, in order, when fewer). */
    static float[][] sample(float[][] x, int max, long seed) {
        if (x.length <= max) {
            return x;
        }
        int[] order = io.transfer4j.util.Permutations.shuffled(x.length, new Random(seed));
        float[][] out = new float[max][];
        for (int i = 0; i < max; i++) {
            out[i] = x[order[i]];
        }
        return out;
    }
}
