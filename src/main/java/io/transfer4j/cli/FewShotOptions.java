package io.transfer4j.cli;

import io.transfer4j.fewshot.FewShotConfig;
import io.transfer4j.fewshot.Method;
import io.transfer4j.fewshot.Metric;
import picocli.CommandLine.Option;

/** What both few-shot commands take: the backbone and the method. */
public final class FewShotOptions {
    @Option(names = {"-b", "--backbone"}, defaultValue = io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID,
            description = "Texts: a catalogue id (default: ${DEFAULT-VALUE}); images: a bundle, .onnx or built-in architecture; "
                    + "audio: speech-embedding (the default for clips), a bundle or .onnx.")
    String backbone;

    @Option(names = "--method", defaultValue = "auto", description = "prototypes, probe, setfit (texts) or auto: chosen on held-out "
            + "shots among the prototypes and the probe (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--metric", description = "prototypes: cosine (default) or euclidean; under auto both are compared unless one is given.")
    String metric;

    @Option(names = "--refinements", defaultValue = "5",
            description = "Transductive prototypes: soft k-means steps over the unlabelled rows (default: ${DEFAULT-VALUE}).")
    int refinements;

    @Option(names = "--l2", defaultValue = "0.01", description = "probe: L2 strength where it cannot be chosen on held-out shots "
            + "(one shot per class, and in episodes) (default: ${DEFAULT-VALUE}).")
    float l2;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the folds, episodes and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-length", defaultValue = "0", description = "Texts: tokens per window (default: the backbone's maximum; 128 for SetFit).")
    int maxLength;

    @Option(names = "--no-cache", description = "Texts: recompute embeddings instead of using the on-disk cache.")
    boolean noCache;

    FewShotConfig config() {
        return FewShotConfig.builder().method(Method.parse(method)).metric(metric == null ? null : Metric.parse(metric))
                .refinements(refinements).fixedL2(l2).build();
    }

    FewShotRunner.Inputs inputs(DataOptions text, ImageOptions images, AudioOptions audio) {
        return new FewShotRunner.Inputs(backbone, seed, maxLength, !noCache, text, images, audio);
    }
}
