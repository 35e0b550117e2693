package io.transfer4j.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.transfer4j.util.UserException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer.json written from a vocab.txt gives the ids Google's BERT tokenization.py
 * (FullTokenizer, github.com/google-research/bert at eedf571) gives for the same vocabulary and
 * texts; the expected ids below were printed by that script. The texts exercise lower-casing with
 * accent stripping (uncased) and neither (cased), punctuation and inverted marks, CJK characters
 * split apart, greedy longest-match word pieces, tabs and runs of spaces, and unknown words.
 */
class WordPieceVocabularyTest {
    @TempDir Path dir;

    static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cafe", "café", "Café", "un", "##aff",
            "##able", "sao", "paulo", "São", "Paulo", "!", ",", ".", "'", "我", "爱", "北", "京", "hello", "world", "Hello", "##s", "run",
            "##ning", "##n", "is", "¿", "?", "dónde", "donde", "esta", "está", "la", "-");
    static final List<String> TEXTS = List.of("The café is unaffable!", "Hello, world's runnings.", "¿Dónde está la Café?",
            "我爱北京 hello", "São  Paulo\tis   run-running", "unknownword the");

    private long[][] ids(boolean lowerCase) throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, VOCAB, StandardCharsets.UTF_8);
        Path json = dir.resolve(lowerCase + "-tokenizer.json");
        Files.writeString(json, WordPieceVocabulary.read(vocab).tokenizerJson(lowerCase));
        try (HuggingFaceTokenizer t = HuggingFaceTokenizer.builder().optTokenizerPath(json).optTruncation(false).optPadding(false)
                .optAddSpecialTokens(true).build()) {
            long[][] out = new long[TEXTS.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = t.encode(TEXTS.get(i)).getIds();
            }
            return out;
        }
    }

    @Test
    void uncasedMatchesBertsOwnTokenizer() throws Exception {
        assertArrayEquals(new long[][] {
            {2, 5, 6, 31, 9, 10, 11, 16, 3},
            {2, 24, 17, 25, 19, 1, 28, 29, 27, 18, 3},
            {2, 32, 35, 36, 38, 6, 33, 3},
            {2, 20, 21, 22, 23, 24, 3},
            {2, 12, 13, 31, 28, 39, 28, 29, 3},
            {2, 1, 5, 3}}, ids(true));
    }

    @Test
    void casedMatchesBertsOwnTokenizer() throws Exception {
        assertArrayEquals(new long[][] {
            {2, 1, 7, 31, 9, 10, 11, 16, 3},
            {2, 26, 17, 25, 19, 1, 28, 29, 27, 18, 3},
            {2, 32, 1, 37, 38, 8, 33, 3},
            {2, 20, 21, 22, 23, 24, 3},
            {2, 14, 15, 31, 28, 39, 28, 29, 3},
            {2, 1, 5, 3}}, ids(false));
    }

    @Test
    void aVocabularyWithoutBertsSpecialTokensOrNotUtf8IsRefused() throws Exception {
        Path v = dir.resolve("vocab.txt");
        Files.write(v, List.of("a", "b"));
        UserException e = assertThrows(UserException.class, () -> WordPieceVocabulary.read(v));
        assertTrue(e.getMessage().contains("no [UNK] token"), e.getMessage());
        Files.write(v, new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
        UserException enc = assertThrows(UserException.class, () -> WordPieceVocabulary.read(v));
        assertTrue(enc.getMessage().contains("not UTF-8"), enc.getMessage());
    }
}
