package io.transfer4j.cli;

import io.transfer4j.bundle.Bundle;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.data.Labelled;
import io.transfer4j.model.Classifier;
import io.transfer4j.model.ImageModel;
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
                + "(texts, or for an image bundle images: a folder per class, a CSV with a path column, or an IDX file; for an audio "
                + "bundle WAV/FLAC clips: a folder per class or a CSV with a path column).")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DataOptions data;

    @Option(names = {"-m", "--model"}, required = true, description = "Model bundle directory (the --out of train).")
    Path model;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts, or images for an image bundle, with the model's classes.")
    Path dataPath;

    @Option(names = "--image-column", defaultValue = "path", description = "Images: CSV column with image paths (default: ${DEFAULT-VALUE}).")
    String imageColumn;

    @Option(names = "--json", description = "Also write the metrics as JSON to this file.")
    Path json;

    @Option(names = "--audio-column", defaultValue = "path", description = "Audio: CSV column with clip paths (default: ${DEFAULT-VALUE}).")
    String audioColumn;

    @Option(names = "--errors", defaultValue = "20", description = "Image and audio files: list up to this many misclassified files (default: ${DEFAULT-VALUE}).")
    int errors;

    @Option(names = "--group-column", description = "Bias audit: also report accuracy and true/false-positive rates per "
            + "group named by this column (for images, of the CSV listing them), and the largest gaps.")
    String groupColumn;

    @Override
    public Integer call() {
        if (io.transfer4j.bundle.AudioBundle.isAudioBundle(model)) {
            try (io.transfer4j.model.AudioModel m = io.transfer4j.bundle.AudioBundle.load(model)) {
                var clips = new io.transfer4j.data.AudioDatasetReader(audioColumn, "label", groupColumn, common.progress())
                        .read(dataPath, m.backbone().sampleRate());
                return evaluate(m, clips, clips.sources());
            }
        }
        if (io.transfer4j.bundle.ImageBundle.isImageBundle(model)) {
            try (ImageModel m = ImageBundle.load(model)) {
                var reader = new ImageDatasetReader(imageColumn, "label", groupColumn, common.progress());
                var images = reader.read(dataPath, m.backbone().shape());
                return evaluate(m, images, images.sources());
            }
        }
        TextDataset d = data.labelled(dataPath, groupColumn);
        try (ProbeClassifier c = Bundle.load(model)) {
            return evaluate(c, d, null);
        }
    }

    /**
     * The same report for any modality's model on its labelled rows; groups, when read, get the
     * audit; rows read from files ({@code sources}, null for texts) have their misclassified files listed.
     */
    private <D extends Labelled<D>> int evaluate(Classifier<D> c, D d, java.util.List<String> sources) {
        int[] truth = d.labelIndices(c.labels());
        int[] pred = c.predict(d, common.progress());
        Metrics m = Metrics.compute(truth, pred, c.labels());
        System.out.print(RunReport.metrics(m));
        if (sources != null) {
            System.out.print(RunReport.misclassified(sources, truth, pred, c.labels(), errors));
        }
        GroupAudit audit = null;
        if (d.grouped()) {
            audit = GroupAudit.of(model.toString(), truth, pred, d.groups(), c.labels());
            System.out.print(RunReport.bias(BiasAudit.of(audit, java.util.List.of())));
        }
        if (json != null) {
            AtomicDirectory.writeFile(json, audit == null ? Json.bytes(m) : Json.bytes(java.util.Map.of("metrics", m, "groups", audit)));
            System.out.println("metrics written to " + json);
        }
        return 0;
    }
}
