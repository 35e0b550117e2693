package io.transfer4j.select;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Candidates ranked by LogME and, when they were checked against test data, how well each score
 * ordered them: the weighted Kendall tau between the score and the linear-probe test accuracy.
 */
public record Ranking(List<BackboneScore> candidates, Map<String, Double> weightedTau, long seed) {
    /** @param sorted the candidates, best LogME first */
    public static Ranking of(List<BackboneScore> sorted, long seed) {
        Map<String, Double> tau = new LinkedHashMap<>();
        boolean checked = sorted.size() >= 2 && sorted.stream().noneMatch(s -> Double.isNaN(s.probeAccuracy()));
        if (checked) {
            tau.put("LogME", tau(sorted, BackboneScore::logMe));
            tau.put("shrinkage H-score", tau(sorted, BackboneScore::shrinkageHScore));
            tau.put("10-NN accuracy", tau(sorted, BackboneScore::knnAccuracy));
        }
        return new Ranking(List.copyOf(sorted), tau, seed);
    }

    private static double tau(List<BackboneScore> s, ToDoubleFunction<BackboneScore> score) {
        return WeightedTau.of(s.stream().mapToDouble(score).toArray(), s.stream().mapToDouble(BackboneScore::probeAccuracy).toArray());
    }
}
