package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.data.TextDataset;
import io.transfer4j.report.Table;
import io.transfer4j.select.Advisor;
import io.transfer4j.select.BackboneScore;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "advise", mixinStandardHelpOptions = true,
        description = "Recommend a backbone, where to cut it (which layers to transfer) and a strategy (linear probe, full "
                + "fine-tuning or LoRA) for your labelled texts and time budget, with the reasons; for images, the backbone with "
                + "the best LogME and the strategy that wins on a validation split; --run trains it.")
public final class AdviseCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DataOptions data;
    @Mixin ImageOptions images;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts, or images (with --backbones naming image backbones).")
    Path dataPath;

    @Option(names = "--backbones", split = ",", defaultValue = "minilm-q,bge-small-q,e5-small-q",
            description = "Candidates (default: ${DEFAULT-VALUE}).")
    List<String> backbones;

    @Option(names = "--budget", defaultValue = "10m", description = "Time the training may take: 90s, 10m, 2h (default: ${DEFAULT-VALUE}).")
    String budget;

    @Option(names = "--max-length", defaultValue = "256", description = "Tokens per window when scoring (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--run", description = "Then train the recommendation (with the scratch baseline and the 3-seed guard).")
    boolean run;

    @Option(names = {"-o", "--out"}, description = "Bundle directory for --run.")
    Path out;

    @Option(names = "--json", description = "Also write the advice as JSON here.")
    Path json;

    @Override
    public Integer call() {
        if (run && out == null) {
            throw new UserException("--run needs --out DIR for the model bundle");
        }
        Duration b = parseBudget(budget);
        if (io.transfer4j.data.AudioDatasetReader.isAudioData(dataPath, "path")) {
            throw new io.transfer4j.util.UserException(dataPath + " holds audio clips, which advise does not read yet; rank audio "
                    + "backbones with `rank --data " + dataPath + "` and let `train` choose the strategy (--strategy auto, the default)");
        }
        if (io.transfer4j.data.ImageDatasetReader.isImageData(dataPath, images.imageColumn)) {
            return adviseImages();
        }
        TextDataset d = data.labelled(dataPath);
        Advisor.Advice a = new Advisor(BackboneCatalogue.load(), common.progress(), maxLength).advise(d, backbones, b);
        Table t = new Table("rank", "backbone", "LogME", "shrinkage H", "10-NN acc");
        int r = 1;
        for (BackboneScore s : a.ranking()) {
            t.row(r++, s.backbone(), String.format(Locale.ROOT, "%.4f", s.logMe()), String.format(Locale.ROOT, "%.3f", s.shrinkageHScore()),
                    String.format(Locale.ROOT, "%.3f", s.knnAccuracy()));
        }
        System.out.print(t);
        String strategy = a.strategy() == Strategy.Kind.LINEAR_PROBE ? "linear-probe" : a.strategy().name().toLowerCase(Locale.ROOT);
        System.out.printf(Locale.ROOT, "%nadvice: --backbone %s --strategy %s%n", a.backbone(), strategy);
        a.reasons().forEach(x -> System.out.println("  - " + x));
        System.out.printf(Locale.ROOT, "%nrun it: ./transfer4j train --data %s --backbone %s --strategy %s --out model/%n", dataPath,
                a.backbone(), strategy);
        if (json != null) {
            AtomicDirectory.writeFile(json, Json.bytes(a));
        }
        if (run) {
            var tt = Transfer.text().backbone(a.backbone()).strategy(Strategy.of(a.strategy())).progress(common.progress());
            TrainCommand.trainAndSave(tt, d, null, out, null);
        }
        return 0;
    }

    /**
     * Images: the candidates ranked by LogME on their frozen features, then each strategy worth
     * trying for a CNN (linear probe, partial, full) trained on a train/validation split of the
     * data with the best backbone, the best validation accuracy recommended. Small CNNs train in
     * seconds, so the advice is measured rather than guessed from rules.
     */
    private int adviseImages() {
        if (backbones.equals(RankCommand.TEXT_DEFAULTS)) {
            throw new UserException("advise on images needs --backbones: pretrain or train bundle directories, or .onnx models");
        }
        Ranked ranked = ImageRunner.rank(backbones, 42, images, dataPath, null, common.progress());
        Table t = new Table("rank", "backbone", "LogME", "shrinkage H", "10-NN acc");
        int r = 1;
        for (BackboneScore s : ranked.ranking().candidates()) {
            t.row(r++, s.backbone(), String.format(Locale.ROOT, "%.4f", s.logMe()), String.format(Locale.ROOT, "%.3f", s.shrinkageHScore()),
                    String.format(Locale.ROOT, "%.3f", s.knnAccuracy()));
        }
        System.out.print(t);
        String best = ranked.ranking().candidates().get(0).backbone();
        var config = ImageRunner.inputConfig(best, 42, images);
        var in = ImageRunner.read(config, images, dataPath, null, null, common.progress());
        io.transfer4j.run.StrategyChoice choice = Transfer.image(in.backbone(), config).progress(common.progress()).choose(in.data());
        System.out.printf(Locale.ROOT, "%nadvice: --backbone %s --strategy %s%n", best, choice.chosen());
        System.out.println("  - " + (backbones.size() == 1 ? best + " is the only candidate"
                : best + " has the highest LogME of " + backbones.size() + " candidates on these labels"));
        System.out.println("  - " + choice.describe());
        String classes = images.classes == null || images.classes.isEmpty() ? "" : " --classes " + String.join(",", images.classes);
        System.out.printf(Locale.ROOT, "%nrun it: ./transfer4j train --data %s%s --backbone %s --strategy %s --out model/%n", dataPath,
                classes, best, choice.chosen());
        if (json != null) {
            AtomicDirectory.writeFile(json, Json.bytes(java.util.Map.of("ranking", ranked.ranking(), "choice", choice)));
        }
        if (run) {
            var pipeline = Transfer.image(in.backbone(), config.withStrategy(Strategy.parse(choice.chosen()))).progress(common.progress());
            TrainCommand.trainAndSave(pipeline, in.data(), null, out, null);
        }
        return 0;
    }

    static Duration parseBudget(String s) {
        var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(s|m|h)").matcher(s.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UserException("cannot read budget '" + s + "'; write it like 90s, 10m or 2h");
        }
        double v = Double.parseDouble(m.group(1));
        long seconds = (long) (v * switch (m.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            default -> 3600;
        });
        return Duration.ofSeconds(seconds);
    }
}
