package io.transfer4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Labelled rows of any modality, as the shared pipeline sees them: it splits, stratifies,
 * audits and scores through this view only, so texts, images and whatever comes next are split
 * and judged by the same code. Labels (and groups, for a bias audit) travel with their rows
 * through {@link #subset}.
 *
 * @param <D> the dataset type itself, so that {@link #subset} keeps it
 */
public interface Labelled<D extends Labelled<D>> {
    /** Where the rows came from, for messages. */
    String source();

    int size();

    /** One label per row, as the user wrote it. */
    List<String> labels();

    /** One group per row for the bias audit, or null when none was asked for. */
    List<String> groups();

    default boolean grouped() {
        return groups() != null;
    }

    LabelMap labelMap();

    /** Label indices against {@code map}; a label the map lacks is a user error naming it. */
    int[] labelIndices(LabelMap map);

    /** Fails with a one-line message unless the rows hold at least two classes. */
    D requireTrainable();

    /** The rows at {@code indices}, labels and groups included; {@code suffix} is appended to the source. */
    D subset(int[] indices, String suffix);

    /** SHA-256 over rows and labels, recorded so a run names its data. */
    String contentHash();

    /** What one row is, for messages ("text", "image"). */
    String rowNoun();

    /** How reports name row {@code i}: its file for images and clips, its opening words for a text. */
    String rowName(int i);

    /**
     * Indices of {@code labels} against {@code map}, for datasets to implement {@link #labelIndices}
     * with: a label the map lacks is a user error naming it, and {@code fix} says what to do.
     */
    static int[] indicesOf(List<String> labels, LabelMap map, String source, String fix) {
        Map<String, Integer> index = map.asIndex();
        int[] y = new int[labels.size()];
        Map<String, Integer> unseen = new TreeMap<>();
        for (int i = 0; i < y.length; i++) {
            Integer k = index.get(labels.get(i));
            if (k == null) {
                unseen.merge(labels.get(i), 1, Integer::sum);
            } else {
                y[i] = k;
            }
        }
        if (!unseen.isEmpty()) {
            throw new io.transfer4j.util.UserException(source + " has classes the model was never trained on: " + unseen.keySet()
                    + " (model classes: " + map.names() + "); " + fix);
        }
        return y;
    }

    /**
     * Up to {@code perClass} rows of each class drawn at random with {@code seed} (all of a class
     * when it has fewer), in a mixed order: a label budget.
     */
    default D perClass(int perClass, long seed) {
        return perClassAndRest(perClass, seed).get(0);
    }

    /**
     * {@link #perClass} and every row it did not draw (in their order): a few-shot task's shots
     * and the rows left to score it on.
     */
    default List<D> perClassAndRest(int perClass, long seed) {
        Map<String, List<Integer>> byClass = new TreeMap<>();
        List<String> labels = labels();
        for (int i = 0; i < size(); i++) {
            byClass.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        Random rng = new Random(seed);
        List<Integer> out = new ArrayList<>();
        for (List<Integer> idx : byClass.values()) {
            Collections.shuffle(idx, rng);
            out.addAll(idx.subList(0, Math.min(perClass, idx.size())));
        }
        Collections.shuffle(out, rng);
        boolean[] drawn = new boolean[size()];
        out.forEach(i -> drawn[i] = true);
        int[] rest = java.util.stream.IntStream.range(0, size()).filter(i -> !drawn[i]).toArray();
        return List.of(subset(out.stream().mapToInt(Integer::intValue).toArray(), "#" + perClass + "-per-class"),
                subset(rest, "#rest-of-" + perClass + "-per-class"));
    }
}
