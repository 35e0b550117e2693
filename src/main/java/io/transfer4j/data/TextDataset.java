package io.transfer4j.data;

import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.nio.charset.StandardCharsets;

/**
 * Labelled texts: the unit every text task consumes. Labels are kept as the user wrote them and
 * turned into indices against a {@link LabelMap} only when a model needs them. {@code labels} is
 * null for unlabelled data (prediction input). {@code groups} (null unless asked for) names each
 * text's group for a bias audit, e.g. a demographic attribute; models never see it.
 */
public record TextDataset(String source, List<String> texts, List<String> labels, List<String> groups)
        implements Labelled<TextDataset> {
    public TextDataset {
        Objects.requireNonNull(source);
        texts = List.copyOf(texts);
        if (labels != null) {
            labels = List.copyOf(labels);
            if (labels.size() != texts.size()) {
                throw new IllegalArgumentException("texts and labels differ in length");
            }
        }
        if (groups != null) {
            groups = List.copyOf(groups);
            if (groups.size() != texts.size()) {
                throw new IllegalArgumentException("texts and groups differ in length");
            }
        }
    }

    public TextDataset(String source, List<String> texts, List<String> labels) {
        this(source, texts, labels, null);
    }

    @Override
    public String rowNoun() {
        return "text";
    }

    /** The text on one line, cut to 70 characters. */
    @Override
    public String rowName(int i) {
        return abbreviate(texts.get(i));
    }

    /** {@code s} on one line (runs of white space as one space), cut to 70 characters with "...". */
    public static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 70 ? one : one.substring(0, 67) + "...";
    }

    public static TextDataset of(List<String> texts, List<String> labels) {
        return new TextDataset("memory", texts, labels);
    }

    public int size() {
        return texts.size();
    }

    public boolean labelled() {
        return labels != null;
    }

    /** Count per class, in class-name order. */
    public Map<String, Integer> classCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String l : requireLabels()) {
            counts.merge(l, 1, Integer::sum);
        }
        return counts;
    }

    public LabelMap labelMap() {
        return LabelMap.of(requireLabels());
    }

    /** Label indices against {@code map}; a label the map lacks is a user error naming it. */
    public int[] labelIndices(LabelMap map) {
        Map<String, Integer> index = map.asIndex();
        List<String> ls = requireLabels();
        int[] out = new int[ls.size()];
        Map<String, Integer> unseen = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            Integer k = index.get(ls.get(i));
            if (k == null) {
                unseen.merge(ls.get(i), 1, Integer::sum);
            } else {
                out[i] = k;
            }
        }
        if (!unseen.isEmpty()) {
            throw new UserException(source + " has labels the model was never trained on: " + unseen.keySet()
                    + " (model classes: " + map.names() + "); evaluate on data with the model's classes or retrain with them");
        }
        return out;
    }

    /** Rejects data a classifier cannot learn from: empty, or fewer than two classes. */
    public TextDataset requireTrainable() {
        if (texts.isEmpty()) {
            throw new UserException(source + " has no examples; give a file with at least one row per class");
        }
        Map<String, Integer> counts = classCounts();
        if (counts.size() < 2) {
            throw new UserException(source + " has a single class " + counts.keySet()
                    + "; a classifier needs examples of at least two classes");
        }
        return this;
    }

    public TextDataset subset(int[] indices, String suffix) {
        List<String> t = new ArrayList<>(indices.length);
        List<String> l = labels == null ? null : new ArrayList<>(indices.length);
        List<String> g = groups == null ? null : new ArrayList<>(indices.length);
        for (int i : indices) {
            t.add(texts.get(i));
            if (l != null) {
                l.add(labels.get(i));
            }
            if (g != null) {
                g.add(groups.get(i));
            }
        }
        return new TextDataset(source + suffix, t, l, g);
    }

    /** Hash of the texts and labels in order: recorded in bundles so a run names its data. */
    public String contentHash() {
        MessageDigest md = Hashing.sha256();
        for (int i = 0; i < texts.size(); i++) {
            md.update(texts.get(i).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            if (labels != null) {
                md.update(labels.get(i).getBytes(StandardCharsets.UTF_8));
            }
            md.update((byte) 1);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private List<String> requireLabels() {
        if (labels == null) {
            throw new UserException(source + " has no labels; name the label column with --label-column");
        }
        return labels;
    }
}
