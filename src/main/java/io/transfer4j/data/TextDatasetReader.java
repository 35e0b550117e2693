package io.transfer4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads labelled texts from CSV, TSV, JSONL, a JSON array of objects, or a folder with one
 * sub-folder of .txt files per class. Bytes must be UTF-8: a file with other bytes is rejected with
 * its position rather than silently garbled into the model.
 *
 * @param textColumn column (or JSON field) holding the text
 * @param labelColumn column holding the class; null reads unlabelled data for prediction
 * @param groupColumn column naming each row's group for a bias audit; null for none
 */
public record TextDatasetReader(String textColumn, String labelColumn, String groupColumn) {

    public TextDatasetReader(String textColumn, String labelColumn) {
        this(textColumn, labelColumn, null);
    }

    /** Also reads {@code column} (a row's group, e.g. a demographic attribute) for the bias audit. */
    public TextDatasetReader withGroupColumn(String column) {
        return new TextDatasetReader(textColumn, labelColumn, column);
    }

    public static TextDatasetReader labelled(String textColumn, String labelColumn) {
        return new TextDatasetReader(textColumn, labelColumn);
    }

    public static TextDatasetReader unlabelled(String textColumn) {
        return new TextDatasetReader(textColumn, null);
    }

    public TextDataset read(Path path) {
        if (!Files.exists(path)) {
            throw new UserException("data file " + path + " does not exist; check the path given to --data");
        }
        if (Files.isDirectory(path)) {
            return readFolder(path);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        String content = readUtf8(path);
        if (name.endsWith(".csv")) {
            return readDelimited(path, content, ',');
        } else if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return readDelimited(path, content, '\t');
        } else if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return readJsonLines(path, content);
        } else if (name.endsWith(".json")) {
            return readJsonArray(path, content);
        }
        throw new UserException("cannot tell the format of " + path
                + "; use a .csv, .tsv, .jsonl or .json file, or a folder with one sub-folder per class");
    }

    static String readUtf8(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UserException("cannot read " + path + ": " + e.getMessage());
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            String s = decoder.decode(buf).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (MalformedInputException e) {
            long offset = buf.position();
            long line = 1;
            for (int i = 0; i < offset && i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new UserException(path + " is not valid UTF-8 (bad byte at offset " + offset + ", line " + line
                    + "); re-save the file as UTF-8, e.g. iconv -f latin1 -t utf-8");
        } catch (CharacterCodingException e) {
            throw new UserException(path + " is not valid UTF-8; re-save the file as UTF-8");
        }
    }

    private TextDataset readDelimited(Path path, String content, char separator) {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withColumnSeparator(separator);
        Rows rows = new Rows(path);
        try (MappingIterator<Map<String, String>> it = mapper.readerFor(Map.class).with(schema).readValues(content)) {
            CsvSchema actual = null;
            int row = 1;
            while (it.hasNext()) {
                Map<String, String> r = it.next();
                row++;
                if (actual == null) {
                    actual = (CsvSchema) it.getParserSchema();
                    List<String> cols = new ArrayList<>();
                    actual.iterator().forEachRemaining(c -> cols.add(c.getName()));
                    requireColumns(path, cols);
                }
                rows.add(row, r.get(textColumn), labelColumn == null ? null : r.get(labelColumn),
                        groupColumn == null ? null : r.get(groupColumn));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserException u) {
                throw u;
            }
            throw new UserException("cannot parse " + path + " as " + (separator == ',' ? "CSV" : "TSV") + ": "
                    + firstLine(e.getMessage()) + "; check quoting and the header row");
        }
        return rows.build();
    }

    private TextDataset readJsonLines(Path path, String content) {
        ObjectMapper mapper = new ObjectMapper();
        Rows rows = new Rows(path);
        String[] lines = content.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = mapper.readTree(lines[i]);
            } catch (IOException e) {
                throw new UserException(path + " line " + (i + 1) + " is not valid JSON: " + firstLine(e.getMessage())
                        + "; each line of a .jsonl file must be one JSON object");
            }
            addJsonRow(path, rows, i + 1, node);
        }
        return rows.build();
    }

    private TextDataset readJsonArray(Path path, String content) {
        Rows rows = new Rows(path);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(content);
        } catch (IOException e) {
            throw new UserException(path + " is not valid JSON: " + firstLine(e.getMessage()) + "; fix the file or use .jsonl");
        }
        if (root == null || !root.isArray()) {
            throw new UserException(path + " must hold a JSON array of objects, one per example");
        }
        int i = 0;
        for (JsonNode node : root) {
            addJsonRow(path, rows, ++i, node);
        }
        return rows.build();
    }

    private void addJsonRow(Path path, Rows rows, int row, JsonNode node) {
        if (!node.isObject()) {
            throw new UserException(path + " record " + row + " is not a JSON object");
        }
        if (rows.count == 0) {
            List<String> fields = new ArrayList<>();
            node.fieldNames().forEachRemaining(fields::add);
            requireColumns(path, fields);
        }
        rows.add(row, text(node.get(textColumn)), labelColumn == null ? null : text(node.get(labelColumn)),
                groupColumn == null ? null : text(node.get(groupColumn)));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private TextDataset readFolder(Path dir) {
        if (groupColumn != null) {
            throw new UserException(dir + " is a folder of .txt files, which has no columns; give a CSV or JSONL file "
                    + "with a '" + groupColumn + "' column for --group-column");
        }
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try (Stream<Path> classes = Files.list(dir)) {
            for (Path classDir : classes.filter(Files::isDirectory).sorted().toList()) {
                String label = classDir.getFileName().toString();
                try (Stream<Path> files = Files.list(classDir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                        String t = readUtf8(f).strip();
                        if (!t.isEmpty()) {
                            texts.add(t);
                            labels.add(label);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot list " + dir + ": " + e.getMessage());
        }
        if (texts.isEmpty()) {
            throw new UserException(dir + " has no .txt files in class sub-folders; lay it out as DIR/<class>/<name>.txt");
        }
        return new TextDataset(dir.toString(), texts, labelColumn == null ? null : labels);
    }

    private void requireColumns(Path path, List<String> columns) {
        if (!columns.contains(textColumn)) {
            throw new UserException("column '" + textColumn + "' not found in " + path + " (columns: "
                    + String.join(", ", columns) + "); name the text column with --text-column");
        }
        if (labelColumn != null && !columns.contains(labelColumn)) {
            throw new UserException("column '" + labelColumn + "' not found in " + path + " (columns: "
                    + String.join(", ", columns) + "); name the label column with --label-column");
        }
        if (groupColumn != null && !columns.contains(groupColumn)) {
            throw new UserException("column '" + groupColumn + "' not found in " + path + " (columns: "
                    + String.join(", ", columns) + "); name the group column with --group-column");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Accumulates rows; a row without a label is an error, a row with an empty text is one too. */
    private final class Rows {
        final Path path;
        final List<String> texts = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        final List<String> groups = new ArrayList<>();
        int count;

        Rows(Path path) {
            this.path = path;
        }

        void add(int row, String text, String label, String group) {
            count++;
            if (text == null || text.isBlank()) {
                throw new UserException(path + " row " + row + " has an empty '" + textColumn
                        + "'; remove the row or fill in its text");
            }
            texts.add(text);
            if (labelColumn != null) {
                if (label == null || label.isBlank()) {
                    throw new UserException(path + " row " + row + " has no '" + labelColumn
                            + "'; label every row or remove unlabelled ones");
                }
                labels.add(label.strip());
            }
            if (groupColumn != null) {
                if (group == null || group.isBlank()) {
                    throw new UserException(path + " row " + row + " has no '" + groupColumn
                            + "'; give every row a group (e.g. 'unknown') for the bias audit");
                }
                groups.add(group.strip());
            }
        }

        TextDataset build() {
            return new TextDataset(path.toString(), texts, labelColumn == null ? null : labels,
                    groupColumn == null ? null : groups);
        }
    }

}
