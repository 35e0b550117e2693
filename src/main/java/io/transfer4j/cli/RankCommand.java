package io.transfer4j.cli;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.data.TextDataset;
import io.transfer4j.report.Table;
import io.transfer4j.select.BackboneScore;
import io.transfer4j.select.Ranker;
import io.transfer4j.select.Ranking;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
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
        description = "Rank candidate backbones for your labelled texts or images by transferability scores on their frozen "
                + "features (LogME, shrinkage H-score, leave-one-out 10-NN accuracy), without fine-tuning any.")
public final class RankCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DataOptions data;
    @Mixin ImageOptions images;
    @Mixin AudioOptions audio;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts, or images (a folder per class, a CSV of paths, IDX).")
    Path dataPath;

    static final List<String> TEXT_DEFAULTS = List.of("minilm-q", "bge-small-q", "e5-small-q");

    @Option(names = "--backbones", split = ",", defaultValue = "minilm-q,bge-small-q,e5-small-q",
            description = "Catalogue ids or .onnx paths; for images, bundle directories or .onnx models (default: ${DEFAULT-VALUE}).")
    List<String> backbones;

    @Option(names = "--max-length", defaultValue = "256", description = "Tokens per window (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--layers", arity = "0..1", fallbackValue = "all", paramLabel = "N",
            description = "Also score layers inside each backbone (the pooled hidden states after each), all of them or N "
                    + "evenly spaced ending at the last; every layer comes from one forward pass.")
    String layers;

    @Option(names = "--test-data", description = "Held-out labelled rows: each candidate also gets the test accuracy of a "
            + "linear probe, and each score the weighted Kendall tau between its ranking and those accuracies.")
    Path testPath;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the probe's train/validation split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Also write the scores as JSON to this file.")
    Path json;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Ranking ranking;
        int rows;
        int classes;
        int testRows;
        String noun;
        if (io.transfer4j.data.AudioDatasetReader.isAudioData(dataPath, audio.audioColumn)) {
            if (layers != null) {
                throw new UserException("--layers scores the layers of text encoders; for audio rank whole backbones");
            }
            Ranked r = AudioRunner.rank(backbones.equals(TEXT_DEFAULTS) ? List.of(io.transfer4j.backbone.AudioBackbones.SPEECH_EMBEDDING)
                    : backbones, seed, audio, dataPath, testPath, common.progress());
            ranking = r.ranking();
            rows = r.rows();
            classes = r.classes();
            testRows = r.testRows();
            noun = "clips";
        } else if (io.transfer4j.data.ImageDatasetReader.isImageData(dataPath, images.imageColumn)) {
            if (layers != null) {
                throw new UserException("--layers scores the layers of text encoders; for images rank whole backbones, or cut an .onnx "
                        + "model with --feature-layer");
            }
            if (backbones.equals(TEXT_DEFAULTS)) {
                throw new UserException("rank on images needs --backbones: pretrain or train bundle directories, or .onnx models");
            }
            Ranked r = ImageRunner.rank(backbones, seed, images, dataPath, testPath, common.progress());
            ranking = r.ranking();
            rows = r.rows();
            classes = r.classes();
            testRows = r.testRows();
            noun = "images";
        } else {
            TextDataset d = data.labelled(dataPath);
            TextDataset test = testPath == null ? null : data.labelled(testPath);
            ranking = new Ranker(BackboneCatalogue.load(), common.progress(), maxLength).rank(d, backbones, layerCount(), test, seed);
            rows = d.size();
            classes = d.classCounts().size();
            testRows = test == null ? 0 : test.size();
            noun = "texts";
        }
        boolean tested = testPath != null;
        List<String> header = new ArrayList<>(List.of("rank", "backbone", "LogME", "shrinkage H", "10-NN acc"));
        if (tested) {
            header.add("probe test acc");
        }
        header.addAll(List.of("features s", "scores s"));
        Table t = new Table(header.toArray(String[]::new));
        int r = 1;
        for (BackboneScore s : ranking.candidates()) {
            List<Object> row = new ArrayList<>(List.of(r++, s.backbone(), f("%.4f", s.logMe()), f("%.3f", s.shrinkageHScore()),
                    f("%.3f", s.knnAccuracy())));
            if (tested) {
                row.add(f("%.3f", s.probeAccuracy()));
            }
            row.addAll(List.of(f("%.1f", s.extractMillis() / 1000.0), f("%.2f", s.scoreMillis() / 1000.0)));
            t.row(row.toArray());
        }
        System.out.printf(Locale.ROOT, "%s: %d %s, %d classes; ranked by LogME (higher is better)%n%n", dataPath, rows, noun, classes);
        System.out.print(t);
        if (!ranking.weightedTau().isEmpty()) {
            System.out.printf(Locale.ROOT, "%nweighted Kendall tau of each score against the probe's accuracy on %s (%d %s, "
                    + "seed %d; 1 = same order):%n", testPath, testRows, noun, seed);
            ranking.weightedTau().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-18s %.3f%n", k, v));
        }
        System.out.printf(Locale.ROOT, "%ntotal %.1f s%n", (System.nanoTime() - t0) / 1e9);
        if (json != null) {
            AtomicDirectory.writeFile(json, Json.bytes(ranking));
        }
        return 0;
    }

    private int layerCount() {
        if (layers == null) {
            return Ranker.NO_LAYERS;
        }
        if (layers.equals("all")) {
            return Ranker.ALL_LAYERS;
        }
        try {
            int n = Integer.parseInt(layers);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserException("--layers takes a positive number of layers or nothing (all layers); got '" + layers + "'");
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
