package io.transfer4j.cli;

import io.transfer4j.TextTransfer;
import io.transfer4j.Transfer;
import io.transfer4j.train.HeadType;
import picocli.CommandLine.Option;

/** How to train: backbone, head, sequence length, seed, cache. */
public final class TrainOptions {
    @Option(names = {"-b", "--backbone"}, defaultValue = io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID,
            description = "Catalogue id (see `backbones`) or path to an .onnx sentence encoder (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--head", defaultValue = "logistic", description = "logistic or mlp (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--max-length", defaultValue = "0", description = "Tokens kept per text; 0 = the backbone's maximum.")
    int maxLength;

    @Option(names = "--max-windows", defaultValue = "8",
            description = "Windows of --max-length tokens read per long text, averaged; 1 = keep only the start (default: ${DEFAULT-VALUE}).")
    int maxWindows;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, initialisation and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--seeds", defaultValue = "3",
            description = "Seeds over which transfer is compared with scratch (mean and 95% CI; 1 = one run only) (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--no-cache", description = "Recompute embeddings instead of using the on-disk cache.")
    boolean noCache;

    TextTransfer transfer(CommonOptions common) {
        return Transfer.text().backbone(backbone).head(HeadType.parse(head)).maxLength(maxLength).maxWindows(maxWindows).seed(seed)
                .cache(!noCache).progress(common.progress());
    }
}
