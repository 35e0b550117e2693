package io.transfer4j.cli;

import io.transfer4j.data.TextDataset;
import io.transfer4j.data.TextDatasetReader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where labelled texts come from: a file (CSV, TSV, JSONL, JSON) or a folder per class. */
public final class DataOptions {
    @Option(names = "--text-column", defaultValue = "text", description = "Column or field holding the text (default: ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--label-column", defaultValue = "label", description = "Column or field holding the class (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    TextDataset labelled(Path path) {
        return labelled(path, null);
    }

    /** Labelled texts that also carry each row's group from {@code groupColumn} (null: none). */
    TextDataset labelled(Path path, String groupColumn) {
        return TextDatasetReader.labelled(textColumn, labelColumn).withGroupColumn(groupColumn).read(path);
    }

    TextDataset unlabelled(Path path) {
        return TextDatasetReader.unlabelled(textColumn).read(path);
    }
}
