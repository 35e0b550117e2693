package io.transfer4j.select;

/** How well one backbone's frozen features suit a labelled dataset, by several scores, with the time taken. */
public record BackboneScore(String backbone, int samples, int width, double logMe, double shrinkageHScore,
        double knnAccuracy, long extractMillis, long scoreMillis) {}
