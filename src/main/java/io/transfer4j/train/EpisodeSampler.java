package io.transfer4j.train;

import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Draws N-way few-shot episodes from labelled rows: {@code ways} classes among those with at least
 * {@code shots + queries} rows, then that many distinct rows of each, all by one generator. The one
 * sampler of episodes, for meta-training ({@link EpisodeRows}) and for episodic evaluation alike.
 */
public final class EpisodeSampler {
    private final List<List<Integer>> byClass = new ArrayList<>();
    private final int ways;
    private final int shots;
    private final int queries;

    /**
     * @param what where the rows come from, for the message when too few classes can fill an episode
     * @throws UserException when fewer than {@code ways} classes have {@code shots + queries} rows
     */
    public EpisodeSampler(int[] labels, int classes, int ways, int shots, int queries, String what) {
        this.ways = ways;
        this.shots = shots;
        this.queries = queries;
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        int largest = byClass.stream().mapToInt(List::size).max().orElse(0);
        byClass.removeIf(r -> r.size() < shots + queries);
        if (byClass.size() < ways) {
            throw new UserException(ways + "-way episodes need " + ways + " classes with at least " + (shots + queries)
                    + " rows each (shots + queries) in " + what + "; it has " + byClass.size() + " such of " + classes
                    + " classes (largest: " + largest + " rows): lower --ways, --shots or --queries, or give more rows per class");
        }
    }

    /** The classes episodes draw from, as indices into the labels given. */
    public int[] eligibleClasses(int[] labels) {
        return byClass.stream().mapToInt(rows -> labels[rows.get(0)]).toArray();
    }

    /** One episode's rows from a generator seeded with {@code seed}: support (class by class), then queries (class by class). */
    public int[] draw(long seed) {
        Random r = new Random(seed);
        List<List<Integer>> classes = new ArrayList<>(byClass);
        Collections.shuffle(classes, r);
        int[] out = new int[ways * (shots + queries)];
        for (int c = 0; c < ways; c++) {
            List<Integer> rowsOf = new ArrayList<>(classes.get(c));
            Collections.shuffle(rowsOf, r);
            for (int j = 0; j < shots; j++) {
                out[c * shots + j] = rowsOf.get(j);
            }
            for (int j = 0; j < queries; j++) {
                out[ways * shots + c * queries + j] = rowsOf.get(shots + j);
            }
        }
        return out;
    }
}
