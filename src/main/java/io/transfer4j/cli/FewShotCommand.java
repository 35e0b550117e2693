package io.transfer4j.cli;

import io.transfer4j.data.Labelled;
import io.transfer4j.fewshot.FewShot;
import io.transfer4j.fewshot.FewShotConfig;
import io.transfer4j.fewshot.SetFitConfig;
import io.transfer4j.model.Classifier;
import io.transfer4j.report.RunReport;
import io.transfer4j.run.RunSettings;
import io.transfer4j.bundle.Bundle;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fewshot", mixinStandardHelpOptions = true, subcommands = FewShotEvalCommand.class,
        description = "Train a classifier from a handful of labelled texts, images or clips per class (nearest class prototype, a "
                + "probe, or SetFit for texts; auto chooses on held-out shots) and write a bundle that predict, evaluate and export "
                + "use like any other. 'fewshot eval' measures a method over many random N-way K-shot episodes.")
public final class FewShotCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin FewShotOptions options;
    @Mixin DataOptions text;
    @Mixin ImageOptions images;
    @Mixin AudioOptions audio;

    @Option(names = {"-d", "--data"}, description = "The labelled shots: texts (.csv, .tsv, .jsonl, .json, folder per "
            + "class), images or audio clips (folder per class, or a CSV with a path column).")
    Path dataPath;

    @Option(names = "--test", description = "Labelled rows to score the model on; without it the score is on held-out shots "
            + "(or, with --shots, on the rows not drawn).")
    Path testPath;

    @Option(names = "--shots", defaultValue = "0", description = "Draw this many labelled rows per class from --data as the shots "
            + "(seeded by --seed), to see what so few labels give on the rest of your data; 0 = all of --data are the shots.")
    int shotsPerClass;

    @Option(names = "--unlabelled", description = "Unlabelled rows of the same task (e.g. the ones to classify): prototypes are refined "
            + "on them transductively (soft k-means).")
    Path unlabelledPath;

    @Option(names = {"-o", "--out"}, description = "Directory to write the model bundle to (replaced atomically).")
    Path out;

    @Option(names = "--iterations", defaultValue = "20", description = "SetFit: each labelled text is paired this many times with a "
            + "random text of its class and as many times with one of another class, so 2 x iterations x shots pairs per epoch "
            + "(default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--setfit-epochs", defaultValue = "1", description = "SetFit: passes over the pairs (default: ${DEFAULT-VALUE}).")
    int setFitEpochs;

    @Option(names = "--batch", defaultValue = "16", description = "SetFit: pairs per update (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "2e-5", description = "SetFit: peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Override
    public Integer call() {
        if (dataPath == null || out == null) {
            throw new io.transfer4j.util.UserException("fewshot needs --data (the labelled shots) and --out (the bundle to write); "
                    + "'fewshot eval' runs episodes");
        }
        FewShotConfig config = options.config().toBuilder()
                .setFit(new SetFitConfig(iterations, setFitEpochs, batch, lr, options.maxLength > 0 ? options.maxLength : 128)).build();
        return FewShotRunner.run(options.inputs(text, images, audio), config, dataPath, testPath, unlabelledPath, common.progress(),
                new FewShotRunner.Job() {
                    @Override
                    public <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> int run(FewShot<D, M, C> fs, D data,
                            D test, D unlabelled) {
                        D shots = data;
                        if (shotsPerClass > 0) {
                            java.util.List<D> drawn = data.perClassAndRest(shotsPerClass, options.seed);
                            shots = drawn.get(0);
                            test = test != null ? test : drawn.get(1);
                        }
                        try (var run = fs.fit(shots, unlabelled, test)) {
                            fs.save(run, out, RunFile.write(spec));
                            System.out.print(RunReport.table(run));
                            System.out.println("model bundle: " + out + "  (summary: " + out.resolve(Bundle.SUMMARY) + ")");
                        }
                        return 0;
                    }
                });
    }
}
