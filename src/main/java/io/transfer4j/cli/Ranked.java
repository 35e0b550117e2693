package io.transfer4j.cli;

import io.transfer4j.select.BackboneScore;
import io.transfer4j.select.Ranking;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Whole backbones of any modality ranked on the rows read for each (images at its shape, clips at
 * its rate), best LogME first, with the size of what they were scored on.
 */
record Ranked(Ranking ranking, int rows, int classes, int testRows) {

    /** One backbone's scores and the size of the rows it was scored on. */
    record Scored(BackboneScore score, int rows, int classes, int testRows) {}

    static Ranked of(List<String> backbones, long seed, Function<String, Scored> scoreOne) {
        List<BackboneScore> scores = new ArrayList<>();
        Scored last = null;
        for (String b : backbones) {
            last = scoreOne.apply(b);
            scores.add(last.score());
        }
        scores.sort(Comparator.comparingDouble(BackboneScore::logMe).reversed());
        return new Ranked(Ranking.of(scores, seed), last == null ? 0 : last.rows(), last == null ? 0 : last.classes(),
                last == null ? 0 : last.testRows());
    }
}
