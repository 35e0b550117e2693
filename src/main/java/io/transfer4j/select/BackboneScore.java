package io.transfer4j.select;

/**
 * How well one candidate's frozen features (a backbone, or a backbone cut after one layer) suit a
 * labelled dataset, by several scores, with the time taken.
 *
 * @param probeAccuracy accuracy on held-out test data of a linear probe on these features (the
 *     ground truth the scores try to predict); NaN when no test data was given
 * @param extractMillis time to embed the texts (shared by all layers of one backbone, so each
 *     layer candidate reports the whole pass)
 */
public record BackboneScore(String backbone, int samples, int width, double logMe, double shrinkageHScore,
        double knnAccuracy, double probeAccuracy, long extractMillis, long scoreMillis) {}
