package io.transfer4j.backbone;

/**
 * Token ids of a list of texts, unpadded. A text longer than the encoder's window is split into
 * several windows, each wrapped in the tokenizer's special tokens; {@code owner[w]} is the text of
 * window {@code w}, and windows of one text are contiguous and in order.
 *
 * @param texts number of texts
 * @param truncated how many texts were cut because they exceeded the window limit
 */
public record Tokenized(int texts, long[][] ids, long[][] typeIds, int[] owner, int truncated) {
    /** Number of windows (sequences the encoder runs on). */
    public int size() {
        return ids.length;
    }

    public long tokenCount() {
        long n = 0;
        for (long[] row : ids) {
            n += row.length;
        }
        return n;
    }
}
