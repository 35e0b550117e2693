package io.transfer4j.fewshot;

import io.transfer4j.util.UserException;
import java.util.List;

/**
 * The episodes of a few-shot evaluation: {@code ways} classes drawn per episode, {@code shots}
 * labelled rows of each to adapt from (one evaluation per entry), {@code queries} rows of each to
 * score on, {@code episodes} episodes per shot count; with {@code transductive} the episode's
 * queries are the unlabelled rows prototypes refine with (the usual transductive protocol).
 */
public record EpisodeSpec(int ways, List<Integer> shots, int queries, int episodes, boolean transductive) {
    public EpisodeSpec {
        shots = List.copyOf(shots);
        if (ways < 2 || shots.isEmpty() || shots.stream().anyMatch(k -> k < 1) || queries < 1 || episodes < 1) {
            throw new UserException("episodes need --ways >= 2, --shots of 1 or more each, --queries >= 1 and --episodes >= 1; got ways "
                    + ways + ", shots " + shots + ", queries " + queries + ", episodes " + episodes);
        }
    }
}
