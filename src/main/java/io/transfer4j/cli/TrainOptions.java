package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.data.TextDataset;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.run.RunConfig;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.train.HeadType;
import picocli.CommandLine.Option;

/** How to train: backbone, head, strategy and its controls, sequence length, seed, cache. */
public final class TrainOptions {
    @Option(names = {"-b", "--backbone"}, defaultValue = io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID,
            description = "Catalogue id (see `backbones`) or path to an .onnx sentence encoder (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--head", defaultValue = "logistic", description = "logistic or mlp, for linear-probe (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--strategy",
            description = "linear-probe (frozen features), partial, full, gradual, lp-ft, lora, bitfit, or auto: the modality's "
                    + "candidates each trained and the best on validation kept (default: linear-probe for texts; auto for images, "
                    + "trying linear-probe, partial and full).")
    String strategy;

    @Option(names = "--max-length", defaultValue = "0",
            description = "Tokens kept per text; 0 = the backbone's maximum for linear-probe, 128 for fine-tuning.")
    int maxLength;

    @Option(names = "--pooling",
            description = "Texts, frozen features: mean, cls or pooler (a graph's pooler_output, as BERT has); default: the backbone's own.")
    String pooling;

    @Option(names = "--max-windows", defaultValue = "8",
            description = "linear-probe: windows of --max-length tokens read per long text, averaged; 1 = keep only the start (default: ${DEFAULT-VALUE}).")
    int maxWindows;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, initialisation and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--seeds",
            description = "Seeds over which transfer is compared with scratch (mean and 95%% CI; 1 = one run, judged by a paired "
                    + "test on its test split) (default: 3 for linear-probe, 1 for fine-tuning strategies, whose extra seeds would "
                    + "triple the run).")
    Integer seeds;

    @Option(names = "--no-cache", description = "Recompute embeddings instead of using the on-disk cache.")
    boolean noCache;

    // Training controls without a picocli default: null means the default of the data's modality and the
    // strategy, resolved when the run starts, so an image run never records (or applies) a text default.
    @Option(names = "--epochs", description = "Fine-tuning: most epochs (default: 3 for texts; for images and audio about 300 updates, 8 to 100 epochs).")
    Integer epochs;

    @Option(names = "--batch", description = "Fine-tuning: examples per micro-batch (default: 16 for texts, 64 for images, 32 for audio clips).")
    Integer batch;

    @Option(names = "--lr", description = "Fine-tuning: peak learning rate (default for texts: 5e-5, lora and bitfit 1e-3; "
            + "for images and audio: 1e-3, 5e-4 for full fine-tuning of a pre-trained network).")
    Float lr;

    @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw, adam or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", description = "sgd momentum (default: ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", defaultValue = "0.01",
            description = "Decay of weight matrices; never biases, norms or frozen weights (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--schedule", defaultValue = "linear", description = "Learning rate after warm-up: linear, cosine or constant (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0.1", description = "Share of steps warming up (default: ${DEFAULT-VALUE}).")
    float warmup;

    @Option(names = "--clip", defaultValue = "1.0", description = "Clip the global gradient norm; 0 = off (default: ${DEFAULT-VALUE}).")
    float clip;

    @Option(names = "--accumulate", defaultValue = "1", description = "Micro-batches per update (default: ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Label smoothing (default: ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--l2sp", defaultValue = "0", description = "L2-SP: pull towards the pre-trained weights with this strength (default: ${DEFAULT-VALUE}).")
    float l2sp;

    @Option(names = "--layer-decay", defaultValue = "1.0",
            description = "Discriminative learning rates: each group below the head gets this factor more (default: ${DEFAULT-VALUE}).")
    float layerDecay;

    @Option(names = "--precision", defaultValue = "fp32", converter = PrecisionConverter.class,
            description = "Fine-tuning: the network's matrix products and convolutions in fp32, bf16 (mixed precision: fp32 weights "
                    + "and optimizer state) or auto (bf16 where the CPU has bf16 instructions) (default: ${DEFAULT-VALUE}).")
    io.transfer4j.onnx.Precision precision;

    @Option(names = "--patience", description = "Fine-tuning: epochs without a better validation score before stopping "
            + "(default: 2 for texts; a third of the epochs, at least 3, for images).")
    Integer patience;

    @Option(names = "--select-by",
            description = "Fine-tuning: keep the epoch with the lowest validation loss or the highest validation accuracy (default: loss for texts, accuracy for images).")
    String selectBy;

    @Option(names = "--freeze", defaultValue = "-1", description = "partial: parameter groups frozen from the input up; -1 = the lower half.")
    int freeze;

    @Option(names = "--freeze-pattern", defaultValue = "", description = "partial: also freeze weights whose name or group matches this regex.")
    String freezePattern;

    @Option(names = "--lora-rank", defaultValue = "8", description = "lora: adapter rank (default: ${DEFAULT-VALUE}).")
    int loraRank;

    @Option(names = "--lora-alpha", defaultValue = "16", description = "lora: scale alpha (default: ${DEFAULT-VALUE}).")
    float loraAlpha;

    @Option(names = "--lora-targets", defaultValue = "",
            description = "lora: regex over weight/node names to adapt; default: every projection in the encoder layers.")
    String loraTargets;

    /** --strategy with its controls; unset: {@code modalityDefault} (linear-probe for texts, auto for images). */
    Strategy strategy(Strategy.Kind modalityDefault) {
        Strategy s = strategy == null ? Strategy.of(modalityDefault) : Strategy.parse(strategy);
        return s.withFreeze(freeze, freezePattern).withLora(loraRank, loraAlpha, loraTargets);
    }

    /** The optimizer, schedule and regularisers as given, for any modality. */
    Optimization optimization() {
        return new Optimization(Optimization.Kind.parse(optimizer), momentum, weightDecay, Optimization.Schedule.parse(schedule), warmup,
                clip, accumulate, labelSmoothing, l2sp, layerDecay, precision);
    }

    /** Text fine-tuning settings: the library's defaults ({@code RunConfig}) with what was given on top. */
    TrainConfig tuning() {
        TrainConfig.Builder b = RunConfig.defaults().tuning().toBuilder().seed(seed).optimization(optimization());
        if (epochs != null) {
            b.epochs(epochs);
        }
        if (batch != null) {
            b.batchSize(batch);
        }
        if (lr != null) {
            b.learningRate(lr);
        }
        if (patience != null) {
            b.patience(patience);
        }
        if (selectBy != null) {
            b.selectBy(TrainConfig.Selection.parse(selectBy));
        }
        return b.build();
    }

    /** The text pipeline these options describe. */
    Pipeline<TextDataset, ProbeClassifier, RunConfig> transfer(CommonOptions common) {
        Strategy s = strategy(Strategy.Kind.LINEAR_PROBE);
        RunConfig config = RunConfig.builder().backbone(backbone).head(HeadType.parse(head)).maxLength(maxLength)
                .maxWindows(maxWindows).seed(seed).cache(!noCache).strategy(s).tuning(tuning())
                .pooling(pooling == null ? null : io.transfer4j.backbone.Pooling.parse(pooling)).build();
        return Transfer.text(config).seeds(seedsOrDefault()).progress(common.progress());
    }

    /** --seeds as given, else 0: the modality's default for the strategy. */
    int seedsOrDefault() {
        return seeds == null ? 0 : seeds;
    }
}
