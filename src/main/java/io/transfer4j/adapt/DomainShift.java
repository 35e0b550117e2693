package io.transfer4j.adapt;

import io.transfer4j.train.LinearProbe;
import io.transfer4j.train.Standardizer;
import io.transfer4j.util.Progress;
import java.util.Arrays;
import java.util.Locale;

/**
 * How far apart two domains lie in a feature space, measured before anything is trained: the
 * proxy A-distance (Ben-David et al.) 2(1 - 2ε) from a linear domain classifier's error ε on held-out
 * halves of both domains, and the linear MMD (the squared distance between the domains' mean
 * features, in the pooled standard deviations, per feature).
 *
 * @param features what the features were ("frozen bge-small-q", "frozen smallcnn")
 * @param domainAccuracy the held-out accuracy of the domain classifier (0.5 = indistinguishable)
 */
public record DomainShift(String features, int sourceRows, int targetRows, double proxyADistance, double domainAccuracy,
        double linearMmd, String reading) {

    /** Measures the shift between {@code source} and {@code target} features (sampled to {@link DomainClassifier#MAX_ROWS} each). */
    public static DomainShift measure(String features, float[][] source, float[][] target, long seed, Progress progress) {
        float[][] s = DomainClassifier.sample(source, DomainClassifier.MAX_ROWS, seed);
        float[][] t = DomainClassifier.sample(target, DomainClassifier.MAX_ROWS, seed + 1);
        int hs = s.length / 2;
        int ht = t.length / 2;
        if (hs < 2 || ht < 2) {
            throw new io.transfer4j.util.UserException("measuring the domain shift needs at least 4 source and 4 target rows ("
                    + s.length + " and " + t.length + " given)");
        }
        double correct = 0;
        try (LinearProbe.Fitted fit = DomainClassifier.fit(Arrays.copyOf(s, hs), Arrays.copyOf(t, ht), seed, progress)) {
            float[][] ps = fit.probabilities(Arrays.copyOfRange(s, hs, s.length));
            float[][] pt = fit.probabilities(Arrays.copyOfRange(t, ht, t.length));
            // each domain weighs half, so an unbalanced sample cannot make the domains look separable
            for (float[] p : ps) {
                correct += p[0] >= p[1] ? 0.5 / ps.length : 0;
            }
            for (float[] p : pt) {
                correct += p[1] > p[0] ? 0.5 / pt.length : 0;
            }
        }
        double pad = Math.max(0, 2 * (1 - 2 * (1 - correct)));
        return new DomainShift(features, source.length, target.length, pad, correct, linearMmd(s, t), reading(pad));
    }

    /** Squared distance between the domains' means, in pooled standard deviations, averaged over features. */
    static double linearMmd(float[][] s, float[][] t) {
        float[][] all = new float[s.length + t.length][];
        System.arraycopy(s, 0, all, 0, s.length);
        System.arraycopy(t, 0, all, s.length, t.length);
        Standardizer std = Standardizer.fit(all);
        float[][] zs = std.apply(s);
        float[][] zt = std.apply(t);
        int d = s[0].length;
        double sum = 0;
        for (int j = 0; j < d; j++) {
            double ms = 0;
            double mt = 0;
            for (float[] r : zs) {
                ms += r[j];
            }
            for (float[] r : zt) {
                mt += r[j];
            }
            double diff = ms / zs.length - mt / zt.length;
            sum += diff * diff;
        }
        return sum / d;
    }

    static String reading(double pad) {
        if (pad < 0.5) {
            return "small shift: a linear classifier barely tells the domains apart; the source model may need no adaptation";
        }
        if (pad < 1.5) {
            return "moderate shift: the domains are partly separable; adaptation may help, source-only is the baseline to beat";
        }
        return "large shift: a linear classifier tells the domains apart almost always; expect source-only to lose accuracy "
                + "on the target and adaptation to matter";
    }

    /** One line for the console. */
    public String describe() {
        return String.format(Locale.ROOT, "domain shift (%s, %d source / %d target rows): proxy A-distance %.2f (domain classifier "
                + "%.1f%% on held-out rows), linear MMD %.3f; %s", features, sourceRows, targetRows, proxyADistance,
                100 * domainAccuracy, linearMmd, reading);
    }
}
