package io.transfer4j.adapt;

import io.transfer4j.train.LinearProbe;
import io.transfer4j.util.Progress;

/**
 * Deep embedded validation (You et al., ICML 2019): the target risk of a trained model estimated
 * without target labels. A domain classifier on the model's own features gives each source
 * validation row its density ratio w = p(target|x) / p(source|x) · n_s / n_t; the importance-weighted
 * validation loss mean(w·l) is unbiased for the target risk under covariate shift, and DEV subtracts
 * the control variate η(mean(w) - 1), η = -Cov(w·l, w) / Var(w), which cuts its variance.
 *
 * @param risk the DEV estimate of the target loss (lower is better)
 * @param weightedRisk the plain importance-weighted estimate
 * @param sourceRisk the unweighted source-validation loss
 * @param meanWeight mean importance weight (1 when the domain classifier is calibrated)
 */
public record DeepEmbeddedValidation(double risk, double weightedRisk, double sourceRisk, double meanWeight) {
    /** Density ratios are capped here, so one row the classifier is sure of cannot carry the estimate alone. */
    static final double MAX_WEIGHT = 100;

    /**
     * @param train the model's features of its source training rows
     * @param validation its features of the source validation rows
     * @param target its features of the target rows
     * @param validationLoss its loss on each source validation row
     */
    public static DeepEmbeddedValidation estimate(float[][] train, float[][] validation, float[][] target, double[] validationLoss,
            long seed, Progress progress) {
        float[][] s = DomainClassifier.sample(train, DomainClassifier.MAX_ROWS, seed);
        float[][] t = DomainClassifier.sample(target, DomainClassifier.MAX_ROWS, seed + 1);
        double[] w = new double[validation.length];
        try (LinearProbe.Fitted fit = DomainClassifier.fit(s, t, seed, progress)) {
            float[][] p = fit.probabilities(validation);
            double prior = (double) s.length / t.length;
            for (int i = 0; i < w.length; i++) {
                double pt = Math.min(Math.max(p[i][1], 1e-6), 1 - 1e-6);
                w[i] = Math.min(MAX_WEIGHT, pt / (1 - pt) * prior);
            }
        }
        return of(w, validationLoss);
    }

    /** The estimate from weights and losses (the arithmetic, separate for testing). */
    static DeepEmbeddedValidation of(double[] w, double[] loss) {
        int n = w.length;
        double mw = 0;
        double ml = 0;
        double mwl = 0;
        for (int i = 0; i < n; i++) {
            mw += w[i] / n;
            ml += loss[i] / n;
            mwl += w[i] * loss[i] / n;
        }
        double cov = 0;
        double var = 0;
        for (int i = 0; i < n; i++) {
            cov += (w[i] * loss[i] - mwl) * (w[i] - mw) / Math.max(1, n - 1);
            var += (w[i] - mw) * (w[i] - mw) / Math.max(1, n - 1);
        }
        double eta = var > 0 ? -cov / var : 0;
        return new DeepEmbeddedValidation(mwl + eta * mw - eta, mwl, ml, mw);
    }
}
