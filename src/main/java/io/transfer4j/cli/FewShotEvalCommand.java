package io.transfer4j.cli;

import io.transfer4j.data.Labelled;
import io.transfer4j.fewshot.EpisodeResult;
import io.transfer4j.fewshot.EpisodeSpec;
import io.transfer4j.fewshot.FewShot;
import io.transfer4j.model.Classifier;
import io.transfer4j.run.RunSettings;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Episodic few-shot evaluation: many seeded N-way K-shot tasks drawn from labelled data, each adapted from its "
                + "shots and scored on its queries; prints the mean accuracy with its 95%% interval per shot count.")
public final class FewShotEvalCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin FewShotOptions options;
    @Mixin DataOptions text;
    @Mixin ImageOptions images;
    @Mixin AudioOptions audio;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts, images or clips to draw episodes from "
            + "(for images, --classes keeps only the novel classes).")
    Path dataPath;

    @Option(names = "--ways", defaultValue = "5", description = "Classes per episode (default: ${DEFAULT-VALUE}).")
    int ways;

    @Option(names = "--shots", defaultValue = "1,5", split = ",", description = "Labelled rows per class, one evaluation each "
            + "(default: ${DEFAULT-VALUE}).")
    List<Integer> shots;

    @Option(names = "--queries", defaultValue = "15", description = "Rows per class to score each episode on (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--episodes", defaultValue = "600", description = "Episodes per shot count (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--transductive", description = "Prototypes refine on each episode's queries (unlabelled) before scoring them.")
    boolean transductive;

    @Option(names = "--json", description = "Also write the results to this JSON file.")
    Path json;

    @Override
    public Integer call() {
        EpisodeSpec spec = new EpisodeSpec(ways, shots, queries, episodes, transductive);
        return FewShotRunner.run(options.inputs(text, images, audio), options.config(), dataPath, null, null, common.progress(),
                new FewShotRunner.Job() {
                    @Override
                    public <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> int run(FewShot<D, M, C> fs, D data,
                            D test, D unlabelled) {
                        EpisodeResult r = fs.evaluate(data, spec);
                        if (json != null) {
                            AtomicDirectory.writeFile(json, Json.bytes(r));
                        }
                        System.out.print(r.table());
                        return 0;
                    }
                });
    }
}
