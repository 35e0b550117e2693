package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.fewshot.FewShot;
import io.transfer4j.fewshot.MetaConfig;
import io.transfer4j.report.RunReport;
import io.transfer4j.train.MetaMethod;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "meta-train", mixinStandardHelpOptions = true,
        description = "Meta-train an image backbone on few-shot episodes of base classes (protonet, maml, reptile or anil, through "
                + "the one training loop) and write a bundle whose backbone fewshot and 'fewshot eval' use on novel classes.")
public final class MetaTrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin ImageOptions images;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled images of the base classes (folder per class, CSV of "
            + "paths, or IDX; --classes keeps some).")
    Path dataPath;

    @Option(names = {"-o", "--out"}, required = true, description = "Directory to write the bundle to (replaced atomically).")
    Path out;

    @Option(names = {"-b", "--backbone"}, defaultValue = "smallcnn", description = "A built-in architecture (fresh weights), or a "
            + "pretrain/train bundle to start from (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--method", defaultValue = "protonet", description = "protonet, maml (first order), reptile or anil "
            + "(default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--ways", defaultValue = "5", description = "Classes per episode (default: ${DEFAULT-VALUE}).")
    int ways;

    @Option(names = "--shots", defaultValue = "5", description = "Support images per class (default: ${DEFAULT-VALUE}).")
    int shots;

    @Option(names = "--queries", defaultValue = "15", description = "Query images per class (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--episodes", defaultValue = "1000", description = "Training episodes per epoch, one per update "
            + "(default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs; validation episodes after each pick the one kept "
            + "(default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--validation-episodes", defaultValue = "100", description = "Episodes of held-out base images per validation "
            + "(default: ${DEFAULT-VALUE}).")
    int validationEpisodes;

    @Option(names = "--inner-steps", defaultValue = "5", description = "maml, reptile, anil: SGD steps of the inner loop "
            + "(default: ${DEFAULT-VALUE}).")
    int innerSteps;

    @Option(names = "--inner-lr", defaultValue = "0.5",
            description = "Their learning rate; learn2learn's MAML examples use 0.5 (default: ${DEFAULT-VALUE}).")
    float innerLr;

    @Option(names = "--lr", defaultValue = "0.001", description = "Meta learning rate, Adam (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, episodes and initialisation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin CheckpointOptions checkpoints;

    @Override
    public Integer call() {
        MetaConfig meta = MetaConfig.builder().method(MetaMethod.parse(method)).ways(ways).shots(shots).queries(queries).episodes(episodes)
                .epochs(epochs).validationEpisodes(validationEpisodes).innerSteps(innerSteps).innerRate(innerLr).learningRate(lr).build();
        var config = ImageRunner.inputConfig(backbone, seed, images);
        var in = ImageRunner.read(config, images, dataPath, null, null, common.progress());
        var pipeline = Transfer.image(in.backbone(), config).progress(common.progress())
                .checkpoints(checkpoints.at(out));
        var fs = FewShot.of(pipeline);
        try (var run = fs.metaTrain(in.data(), meta)) {
            fs.save(run, out, RunFile.write(spec));
            System.out.print(RunReport.table(run));
            System.out.println("model bundle: " + out + "  (summary: " + out.resolve(Bundle.SUMMARY) + "); its backbone is for "
                    + "fewshot --backbone " + out);
        }
        checkpoints.remove(out);
        return 0;
    }
}
