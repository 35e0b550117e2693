package io.transfer4j.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text to hashed word unigram and bigram ids (the hashing trick): a vocabulary-free featurisation
 * that needs no pre-trained knowledge at all, which is what a from-scratch baseline must be.
 *
 * @param buckets number of hash buckets (ids are in [0, buckets))
 * @param maxIds ids kept per text
 */
public record HashedNgrams(int buckets, int maxIds) {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

    public long[] ids(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find() && words.size() < maxIds) {
            words.add(m.group());
        }
        long[] out = new long[Math.max(1, Math.min(maxIds, 2 * words.size() - 1))];
        int k = 0;
        for (int i = 0; i < words.size() && k < out.length; i++) {
            out[k++] = bucket(words.get(i));
            if (i > 0 && k < out.length) {
                out[k++] = bucket(words.get(i - 1) + ' ' + words.get(i));
            }
        }
        return out;
    }

    public long[][] ids(List<String> texts) {
        long[][] out = new long[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids(texts.get(i));
        }
        return out;
    }

    private long bucket(String s) {
        // FNV-1a: stable across JVMs and releases, unlike String.hashCode's contract
        int h = 0x811c9dc5;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x01000193;
        }
        return Integer.toUnsignedLong(h) % buckets;
    }
}
