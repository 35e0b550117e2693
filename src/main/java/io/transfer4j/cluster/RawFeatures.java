package io.transfer4j.cluster;

import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.Labelled;
import io.transfer4j.data.TextDataset;
import io.transfer4j.util.UserException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Features with no pre-trained knowledge, the baseline a pre-trained space must beat: pixels
 * scaled to [0, 1] for images, TF-IDF over the {@link #VOCABULARY} words of highest document
 * frequency (seen in at least 2 texts; sublinear tf, smoothed idf, unit length) for texts.
 */
public final class RawFeatures {
    static final int VOCABULARY = 4096;
    private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("[\\p{L}\\p{N}]+");

    private RawFeatures() {}

    public static float[][] of(Labelled<?> rows) {
        if (rows instanceof ImageDataset images) {
            float[][] x = new float[images.size()][];
            for (int i = 0; i < x.length; i++) {
                byte[] p = images.pixels()[i];
                x[i] = new float[p.length];
                for (int j = 0; j < p.length; j++) {
                    x[i][j] = (p[j] & 0xff) / 255f;
                }
            }
            return x;
        }
        if (rows instanceof TextDataset texts) {
            return tfidf(texts.texts());
        }
        throw new UserException("raw features exist for images (pixels) and texts (TF-IDF); cluster " + rows.rowNoun()
                + "s with a backbone");
    }

    static float[][] tfidf(List<String> texts) {
        int n = texts.size();
        List<Map<String, Integer>> counts = new java.util.ArrayList<>(n);
        Map<String, Integer> df = new HashMap<>();
        for (String t : texts) {
            Map<String, Integer> c = new HashMap<>();
            java.util.regex.Matcher m = WORD.matcher(t.toLowerCase(Locale.ROOT));
            while (m.find()) {
                c.merge(m.group(), 1, Integer::sum);
            }
            counts.add(c);
            for (String w : c.keySet()) {
                df.merge(w, 1, Integer::sum);
            }
        }
        List<String> vocab = df.entrySet().stream().filter(e -> e.getValue() >= 2)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(VOCABULARY).map(Map.Entry::getKey).toList();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            index.put(vocab.get(i), i);
        }
        float[][] x = new float[n][vocab.size()];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (Map.Entry<String, Integer> e : counts.get(i).entrySet()) {
                Integer j = index.get(e.getKey());
                if (j != null) {
                    double v = (1 + Math.log(e.getValue())) * (Math.log((1.0 + n) / (1.0 + df.get(e.getKey()))) + 1);
                    x[i][j] = (float) v;
                    norm += v * v;
                }
            }
            if (norm > 0) {
                float s = (float) (1 / Math.sqrt(norm));
                for (int j = 0; j < x[i].length; j++) {
                    x[i][j] *= s;
                }
            }
        }
        return x;
    }
}
