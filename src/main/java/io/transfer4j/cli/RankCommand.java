package io.transfer4j.cli;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.data.TextDataset;
import io.transfer4j.report.Table;
import io.transfer4j.select.BackboneScore;
import io.transfer4j.select.Ranker;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rank", mixinStandardHelpOptions = true,
        description = "Rank candidate backbones for your labelled texts by transferability scores on their frozen "
                + "features (LogME, shrinkage H-score, leave-one-out 10-NN accuracy), without fine-tuning any.")
public final class RankCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DataOptions data;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts.")
    Path dataPath;

    @Option(names = "--backbones", split = ",", defaultValue = "minilm-q,bge-small-q,e5-small-q",
            description = "Catalogue ids or .onnx paths (default: ${DEFAULT-VALUE}).")
    List<String> backbones;

    @Option(names = "--max-length", defaultValue = "256", description = "Tokens per window (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--layers", description = "Also score every indexed layer of each backbone (the graph cut after it).")
    boolean layers;

    @Option(names = "--json", description = "Also write the scores as JSON to this file.")
    Path json;

    @Override
    public Integer call() {
        TextDataset d = data.labelled(dataPath);
        long t0 = System.nanoTime();
        List<BackboneScore> scores = new Ranker(BackboneCatalogue.load(), common.progress(), maxLength).rank(d, backbones, layers);
        Table t = new Table("rank", "backbone", "LogME", "shrinkage H", "10-NN acc", "features s", "scores s");
        int r = 1;
        for (BackboneScore s : scores) {
            t.row(r++, s.backbone(), String.format(Locale.ROOT, "%.4f", s.logMe()),
                    String.format(Locale.ROOT, "%.3f", s.shrinkageHScore()), String.format(Locale.ROOT, "%.3f", s.knnAccuracy()),
                    String.format(Locale.ROOT, "%.1f", s.extractMillis() / 1000.0), String.format(Locale.ROOT, "%.2f", s.scoreMillis() / 1000.0));
        }
        System.out.printf(Locale.ROOT, "%s: %d texts, %d classes; ranked by LogME (higher is better)%n%n", dataPath, d.size(),
                d.classCounts().size());
        System.out.print(t);
        System.out.printf(Locale.ROOT, "%ntotal %.1f s%n", (System.nanoTime() - t0) / 1e9);
        if (json != null) {
            AtomicDirectory.writeFile(json, Json.bytes(scores));
        }
        return 0;
    }
}
