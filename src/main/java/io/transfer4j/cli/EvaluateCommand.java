package io.transfer4j.cli;

import io.transfer4j.bundle.Bundle;
import io.transfer4j.data.TextDataset;
import io.transfer4j.eval.Metrics;
import io.transfer4j.report.RunReport;
import io.transfer4j.train.ProbeClassifier;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy, macro-F1, per-class precision/recall and the confusion matrix of a model bundle on labelled data.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DataOptions data;

    @Option(names = {"-m", "--model"}, required = true, description = "Model bundle directory (the --out of train).")
    Path model;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts with the model's classes.")
    Path dataPath;

    @Option(names = "--json", description = "Also write the metrics as JSON to this file.")
    Path json;

    @Override
    public Integer call() {
        TextDataset d = data.labelled(dataPath);
        try (ProbeClassifier c = Bundle.load(model)) {
            Metrics m = c.evaluate(d, common.progress());
            System.out.print(RunReport.metrics(m));
            if (json != null) {
                AtomicDirectory.writeFile(json, Json.bytes(m));
                System.out.println("metrics written to " + json);
            }
        }
        return 0;
    }
}
