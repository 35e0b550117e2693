package io.transfer4j.cli;

import io.transfer4j.train.Checkpoints;
import io.transfer4j.util.AtomicDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Checkpointing of the commands whose runs train weights for minutes to hours: where, how often, and resuming. */
final class CheckpointOptions {
    @Option(names = "--checkpoint-every", defaultValue = "0",
            description = "Weight training (fine-tuning, meta-training, pre-training): also save a checkpoint every N updates "
                    + "(one is always saved at each epoch end).")
    int every;

    @Option(names = "--checkpoint-dir", description = "Checkpoints (default: <out>.checkpoint; removed when the bundle is written).")
    Path dir;

    @Option(names = "--resume", description = "Continue a killed run from its checkpoint (same command and data).")
    boolean resume;

    Path dir(Path out) {
        return dir != null ? dir : out.resolveSibling(out.getFileName() + ".checkpoint");
    }

    Checkpoints at(Path out) {
        return Checkpoints.at(dir(out), every, resume);
    }

    /** Once the bundle is written the checkpoint has served its purpose. */
    void remove(Path out) {
        Path d = dir(out);
        if (Files.isDirectory(d)) {
            AtomicDirectory.deleteTree(d);
        }
    }
}
