package io.transfer4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDatasetReaderTest {
    @TempDir Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void csvWithQuotesCommasAndNewlinesInsideFields() throws IOException {
        Path p = write("d.csv", "id,text,label\n1,\"Great, really \"\"great\"\"\nfilm\",pos\n2,Awful,neg\n");
        TextDataset d = TextDatasetReader.labelled("text", "label").read(p);
        assertEquals(List.of("Great, really \"great\"\nfilm", "Awful"), d.texts());
        assertEquals(List.of("pos", "neg"), d.labels());
    }

    @Test
    void tsvJsonlAndJsonArrayWithNumericLabels() throws IOException {
        assertEquals(List.of("1", "0"), TextDatasetReader.labelled("t", "s")
                .read(write("d.tsv", "t\ts\nnice\t1\nbad\t0\n")).labels());
        assertEquals(List.of("1", "0"), TextDatasetReader.labelled("t", "s")
                .read(write("d.jsonl", "{\"t\":\"nice\",\"s\":1}\n\n{\"t\":\"bad\",\"s\":0}\n")).labels());
        TextDataset j = TextDatasetReader.labelled("t", "s").read(write("d.json", "[{\"t\":\"nice\",\"s\":1},{\"t\":\"bad\",\"s\":0}]"));
        assertEquals(List.of("nice", "bad"), j.texts());
    }

    @Test
    void folderPerClass() throws IOException {
        Files.createDirectories(dir.resolve("f/pos"));
        Files.createDirectories(dir.resolve("f/neg"));
        Files.writeString(dir.resolve("f/pos/a.txt"), "loved it");
        Files.writeString(dir.resolve("f/neg/b.txt"), "hated it");
        Files.writeString(dir.resolve("f/neg/ignored.md"), "not a text file");
        TextDataset d = TextDatasetReader.labelled("text", "label").read(dir.resolve("f"));
        assertEquals(List.of("hated it", "loved it"), d.texts());
        assertEquals(List.of("neg", "pos"), d.labels());
    }

    @Test
    void unlabelledReadDoesNotNeedTheLabelColumn() throws IOException {
        TextDataset d = TextDatasetReader.unlabelled("text").read(write("u.csv", "text\nhello\n"));
        assertNull(d.labels());
    }

    @Test
    void missingColumnNamesTheColumnsThatExist() throws IOException {
        Path p = write("d.csv", "review,sentiment\nok,pos\n");
        UserException e = assertThrows(UserException.class, () -> TextDatasetReader.labelled("review", "label").read(p));
        assertTrue(e.getMessage().contains("column 'label' not found"), e.getMessage());
        assertTrue(e.getMessage().contains("review, sentiment"), e.getMessage());
        assertTrue(e.getMessage().contains("--label-column"), e.getMessage());
    }

    @Test
    void nonUtf8BytesAreRejectedWithTheirPosition() throws IOException {
        Path p = dir.resolve("latin1.csv");
        Files.write(p, "text,label\ncaf\u00e9,pos\n".getBytes(StandardCharsets.ISO_8859_1));
        UserException e = assertThrows(UserException.class, () -> TextDatasetReader.labelled("text", "label").read(p));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void missingFileEmptyTextMissingLabelAndUnknownFormat() throws IOException {
        TextDatasetReader r = TextDatasetReader.labelled("text", "label");
        assertTrue(assertThrows(UserException.class, () -> r.read(dir.resolve("nope.csv"))).getMessage().contains("does not exist"));
        assertTrue(assertThrows(UserException.class, () -> r.read(write("e.csv", "text,label\n,pos\n")))
                .getMessage().contains("row 2 has an empty 'text'"));
        assertTrue(assertThrows(UserException.class, () -> r.read(write("l.csv", "text,label\nhi,\n")))
                .getMessage().contains("row 2 has no 'label'"));
        assertTrue(assertThrows(UserException.class, () -> r.read(write("x.parquet", "PAR1")))
                .getMessage().contains("cannot tell the format"));
    }

    @Test
    void labelsUnknownToTheModelAreNamed() {
        TextDataset d = TextDataset.of(List.of("a", "b"), List.of("pos", "neutral"));
        UserException e = assertThrows(UserException.class, () -> d.labelIndices(new LabelMap(List.of("neg", "pos"))));
        assertTrue(e.getMessage().contains("[neutral]"), e.getMessage());
    }

    @Test
    void groupColumnIsReadAndCarriedThroughSubsets() throws IOException {
        Path p = write("g.csv", "text,label,gender\nnice,pos,f\nbad,neg,m\nok,pos,m\n");
        TextDataset d = TextDatasetReader.labelled("text", "label").withGroupColumn("gender").read(p);
        assertEquals(List.of("f", "m", "m"), d.groups());
        assertEquals(List.of("m", "f"), d.subset(new int[] {2, 0}, "#s").groups());
        assertNull(TextDatasetReader.labelled("text", "label").read(p).groups());
        UserException missing = assertThrows(UserException.class,
                () -> TextDatasetReader.labelled("text", "label").withGroupColumn("age").read(p));
        assertTrue(missing.getMessage().contains("column 'age' not found") && missing.getMessage().contains("--group-column"),
                missing.getMessage());
        UserException blank = assertThrows(UserException.class, () -> TextDatasetReader.labelled("text", "label")
                .withGroupColumn("gender").read(write("b.csv", "text,label,gender\nnice,pos,\n")));
        assertTrue(blank.getMessage().contains("row 2 has no 'gender'"), blank.getMessage());
    }
}
