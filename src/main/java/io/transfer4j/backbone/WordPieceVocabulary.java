package io.transfer4j.backbone;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT WordPiece vocabulary ({@code vocab.txt}, one token per line, the line number its id)
 * written as a Hugging Face {@code tokenizer.json}, so DJL's tokenizers library runs BERT's
 * tokenization: text cleaning, CJK characters split apart, lower-casing with accents stripped
 * for uncased models (nothing of either for cased ones), punctuation split, greedy longest-match
 * WordPiece with "##" continuations, and [CLS] ... [SEP] around each text.
 */
public final class WordPieceVocabulary {
    private static final List<String> SPECIAL = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    private final Map<String, Integer> ids;

    private WordPieceVocabulary(Map<String, Integer> ids) {
        this.ids = ids;
    }

    public static WordPieceVocabulary read(Path vocab) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(vocab);
        } catch (IOException e) {
            throw new UserException("cannot read the vocabulary " + vocab + ": " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UserException("the vocabulary " + vocab + " is not UTF-8; re-save it as UTF-8");
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        int n = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 0; i < n; i++) {
            // as BERT's load_vocab: surrounding whitespace stripped, a repeated token takes its last line's id
            ids.put(lines[i].strip(), i);
        }
        for (String s : List.of("[UNK]", "[CLS]", "[SEP]")) {
            if (!ids.containsKey(s)) {
                throw new UserException("the vocabulary " + vocab + " has no " + s + " token; it is not a BERT WordPiece vocabulary");
            }
        }
        return new WordPieceVocabulary(ids);
    }

    public int size() {
        return ids.size();
    }

    public int id(String token) {
        return ids.getOrDefault(token, -1);
    }

    /** The tokenizer.json text for this vocabulary; {@code lowerCase} as the model was trained (uncased models). */
    public String tokenizerJson(boolean lowerCase) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : SPECIAL) {
            if (ids.containsKey(s)) {
                added.addObject().put("id", ids.get(s)).put("content", s).put("single_word", false).put("lstrip", false)
                        .put("rstrip", false).put("normalized", false).put("special", true);
            }
        }
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "BertNormalizer").put("clean_text", true).put("handle_chinese_chars", true).put("lowercase", lowerCase);
        // BERT strips accents exactly when it lower-cases (tokenization.py's do_lower_case)
        norm.put("strip_accents", lowerCase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, "[CLS]", 0);
        sequence(single, "A", 0);
        special(single, "[SEP]", 0);
        ArrayNode pair = post.putArray("pair");
        special(pair, "[CLS]", 0);
        sequence(pair, "A", 0);
        special(pair, "[SEP]", 0);
        sequence(pair, "B", 1);
        special(pair, "[SEP]", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (String s : List.of("[CLS]", "[SEP]")) {
            ObjectNode o = specials.putObject(s);
            o.put("id", s);
            o.putArray("ids").add(ids.get(s));
            o.putArray("tokens").add(s);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece").put("unk_token", "[UNK]").put("continuing_subword_prefix", "##")
                .put("max_input_chars_per_word", 200); // BERT's own WordpieceTokenizer limit (Hugging Face uses 100)
        ObjectNode vocab = model.putObject("vocab");
        ids.forEach(vocab::put);
        try {
            return new ObjectMapper().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void special(ArrayNode a, String id, int type) {
        a.addObject().putObject("SpecialToken").put("id", id).put("type_id", type);
    }

    private static void sequence(ArrayNode a, String id, int type) {
        a.addObject().putObject("Sequence").put("id", id).put("type_id", type);
    }
}
