package io.transfer4j.cli;

import io.transfer4j.bundle.Bundle;
import io.transfer4j.data.TextDataset;
import io.transfer4j.eval.BiasAudit;
import io.transfer4j.eval.GroupAudit;
import io.transfer4j.eval.Metrics;
import io.transfer4j.report.RunReport;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy, macro-F1, per-class precision/recall and the confusion matrix of a model bundle on labelled data "
                + "(texts, or for an image bundle images: a folder per class, a CSV with a path column, or an IDX file).")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DataOptions data;

    @Option(names = {"-m", "--model"}, required = true, description = "Model bundle directory (the --out of train).")
    Path model;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts with the model's classes.")
    Path dataPath;

    @Option(names = "--image-column", defaultValue = "path", description = "Images: CSV column with image paths (default: ${DEFAULT-VALUE}).")
    String imageColumn;

    @Option(names = "--json", description = "Also write the metrics as JSON to this file.")
    Path json;

    @Option(names = "--group-column", description = "Bias audit: also report accuracy and true/false-positive rates per "
            + "group named by this column, and the largest gaps.")
    String groupColumn;

    @Override
    public Integer call() {
        if (io.transfer4j.bundle.ImageBundle.isImageBundle(model)) {
            return evaluateImages();
        }
        TextDataset d = data.labelled(dataPath, groupColumn);
        try (ProbeClassifier c = Bundle.load(model)) {
            int[] truth = d.labelIndices(c.labels());
            int[] pred = c.predict(d.texts(), common.progress());
            Metrics m = Metrics.compute(truth, pred, c.labels());
            System.out.print(RunReport.metrics(m));
            GroupAudit audit = null;
            if (d.grouped()) {
                audit = GroupAudit.of(model.toString(), truth, pred, d.groups(), c.labels());
                System.out.print(RunReport.bias(BiasAudit.of(audit, java.util.List.of())));
            }
            if (json != null) {
                AtomicDirectory.writeFile(json, audit == null ? Json.bytes(m) : Json.bytes(java.util.Map.of("metrics", m, "groups", audit)));
                System.out.println("metrics written to " + json);
            }
        }
        return 0;
    }

    private int evaluateImages() {
        if (groupColumn != null) {
            throw new io.transfer4j.util.UserException("--group-column is not available for images yet; evaluate without it");
        }
        try (io.transfer4j.model.ImageModel m = io.transfer4j.bundle.ImageBundle.load(model)) {
            io.transfer4j.data.ImageDataset d = new io.transfer4j.data.ImageDatasetReader(imageColumn, "label", common.progress())
                    .read(dataPath, m.backbone().shape());
            int[] truth = d.labelIndices(m.labels());
            float[][] p = m.probabilities(d, common.progress());
            int[] pred = io.transfer4j.train.Inference.argMax(p);
            Metrics metrics = Metrics.compute(truth, pred, m.labels());
            System.out.print(RunReport.metrics(metrics));
            if (json != null) {
                AtomicDirectory.writeFile(json, Json.bytes(metrics));
                System.out.println("metrics written to " + json);
            }
        }
        return 0;
    }
}
