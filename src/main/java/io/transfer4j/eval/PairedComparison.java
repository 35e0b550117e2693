package io.transfer4j.eval;

import java.util.Locale;

/**
 * Transfer against scratch on one held-out split, paired per example (McNemar's exact test): of
 * the examples the two models disagree on, how many each gets right. It costs no training: the
 * verdict a fine-tuning run gets when repeating it over seeds would multiply its price.
 *
 * @param onlyTransfer examples transfer gets right and scratch wrong
 * @param onlyScratch examples scratch gets right and transfer wrong
 * @param gain transfer minus scratch accuracy
 * @param pValue two-sided exact binomial p of the discordant split under "no difference"
 */
public record PairedComparison(int examples, int onlyTransfer, int onlyScratch, double gain, double gainLow95,
        double gainHigh95, double pValue, SeedComparison.Verdict verdict) {

    public static PairedComparison of(int[] truth, int[] transfer, int[] scratch) {
        int n = truth.length;
        if (n == 0 || transfer.length != n || scratch.length != n) {
            throw new IllegalArgumentException("need the same non-empty held-out examples for both models");
        }
        int b = 0;
        int c = 0;
        for (int i = 0; i < n; i++) {
            boolean t = transfer[i] == truth[i];
            boolean s = scratch[i] == truth[i];
            if (t && !s) {
                b++;
            } else if (s && !t) {
                c++;
            }
        }
        double d = (double) (b - c) / n;
        // variance of a difference of paired proportions
        double half = 1.96 * Math.sqrt(Math.max(0, ((double) (b + c) / n - d * d) / n));
        double p = exactTwoSided(b, b + c);
        SeedComparison.Verdict v = p >= 0.05 ? SeedComparison.Verdict.INCONCLUSIVE
                : b > c ? SeedComparison.Verdict.POSITIVE_TRANSFER : SeedComparison.Verdict.NEGATIVE_TRANSFER;
        return new PairedComparison(n, b, c, d, d - half, d + half, p, v);
    }

    /** P(|X - m/2| >= |k - m/2|) for X ~ Binomial(m, 1/2), summed in log space. */
    static double exactTwoSided(int k, int m) {
        if (m == 0) {
            return 1;
        }
        int lo = Math.min(k, m - k);
        double tail = 0;
        double logHalf = m * Math.log(0.5);
        double logChoose = 0; // log C(m, 0)
        for (int i = 0; i <= lo; i++) {
            if (i > 0) {
                logChoose += Math.log((double) (m - i + 1) / i);
            }
            tail += Math.exp(logChoose + logHalf);
        }
        return Math.min(1, 2 * tail);
    }

    /** One line for the run's output, saying what the verdict rests on. */
    public String describe() {
        return String.format(Locale.ROOT, "transfer vs scratch on the same %d held-out examples (paired, McNemar): gain %+.1f points, "
                + "95%% CI %+.1f to %+.1f, p = %.3g (%d right only by transfer, %d only by scratch) -> %s", examples, 100 * gain,
                100 * gainLow95, 100 * gainHigh95, pValue, onlyTransfer, onlyScratch, verdict);
    }
}
