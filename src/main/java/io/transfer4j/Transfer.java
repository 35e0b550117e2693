package io.transfer4j;

import io.transfer4j.run.RunConfig;
import io.transfer4j.run.TransferRun;

/**
 * Entry point of the library.
 *
 * <pre>{@code
 * TextDataset data = TextDatasetReader.labelled("text", "label").read(Path.of("reviews.csv"));
 * try (TransferRun run = Transfer.text().backbone("bge-small-q").seed(7).run(data)) {
 *     System.out.println(run.transfer().test().accuracy() + " vs scratch " + run.scratch().test().accuracy());
 *     Bundle.save(run, Path.of("model"));
 * }
 * }</pre>
 */
public final class Transfer {
    private Transfer() {}

    /** Text classification by a frozen pre-trained sentence encoder and a trained head. */
    public static TextTransfer text() {
        return new TextTransfer(RunConfig.defaults());
    }
}
