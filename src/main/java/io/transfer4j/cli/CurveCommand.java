package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.pipeline.DataEfficiency;
import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.vision.ImageInputs;
import io.transfer4j.report.Table;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "curve", mixinStandardHelpOptions = true,
        description = "Data efficiency: at several label budgets (texts or images per class), train from scratch and transfer "
                + "with each strategy over several seeds, all scored on the same held-out rows; print mean and 95%% CI per budget.")
public final class CurveCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin DataOptions texts;
    @Mixin TrainOptions train;
    @Mixin ImageOptions images;
    @Mixin AudioOptions audio;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts or images the budgets are drawn from.")
    Path dataPath;

    @Option(names = "--test-data", required = true, description = "Held-out labelled texts or images every model is scored on.")
    Path testPath;

    @Option(names = "--budgets", split = ",", defaultValue = "10,50,100,500", description = "Labelled rows per class (default: ${DEFAULT-VALUE}).")
    int[] budgets;

    @Option(names = "--strategies", split = ",", defaultValue = "linear-probe,partial,full",
            description = "Transfer strategies compared with scratch (default: ${DEFAULT-VALUE}).")
    List<String> strategies;

    @Option(names = {"-o", "--out"}, description = "Directory to write curve.json to.")
    Path out;

    @Override
    public Integer call() {
        for (int b : budgets) {
            if (b < 2) {
                throw new UserException("--budgets must be at least 2 per class (one trains, one validates); got " + b);
            }
        }
        List<Strategy> ss = strategies.stream().map(s -> Strategy.parse(s.trim()).withFreeze(train.freeze, train.freezePattern)).toList();
        // The same default as the guard's would be one seed for fine-tuning; a curve's interval needs several.
        int seedCount = train.seeds == null ? 3 : train.seeds;
        if (seedCount < 1) {
            throw new UserException("--seeds must be at least 1");
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < seedCount; i++) {
            seeds.add(train.seed + i);
        }
        DataEfficiency.Curve c;
        String input;
        if (io.transfer4j.data.AudioDatasetReader.isAudioData(dataPath, audio.audioColumn)) {
            var config = AudioRunner.config(train.backbone, Strategy.of(Strategy.Kind.LINEAR_PROBE), train, images, audio);
            var in = AudioRunner.read(config, audio, dataPath, testPath, null, common.progress());
            c = DataEfficiency.run(Transfer.audio(in.backbone(), in.config()).progress(common.progress()), in.backbone().id(), in.data(),
                    in.test(), budgets, ss, seeds);
            input = String.format(java.util.Locale.ROOT, "clips of %.2f s; augmentation %s", in.config().clipSeconds(),
                    in.config().augmentation());
        } else if (ImageDatasetReader.isImageData(dataPath, images.imageColumn)) {
            if (train.backbone.equals(io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID)) {
                throw new UserException("curve on images needs an image backbone: --backbone DIR (a pretrain bundle) or an .onnx model");
            }
            ImageRunConfig config = ImageRunner.config(train.backbone, Strategy.of(Strategy.Kind.LINEAR_PROBE), train, images);
            ImageInputs in = ImageRunner.read(config, images, dataPath, testPath, null, common.progress());
            c = DataEfficiency.run(Transfer.image(in.backbone(), config).progress(common.progress()), in.backbone().id(), in.data(),
                    in.test(), budgets, ss, seeds);
            input = "augmentation " + config.augmentation();
        } else {
            var pipeline = train.transfer(common);
            c = DataEfficiency.run(pipeline, pipeline.config().backbone(), texts.labelled(dataPath, null), texts.labelled(testPath, null),
                    budgets, ss, seeds);
            input = "texts";
        }
        System.out.print(table(c, input));
        if (out != null) {
            AtomicDirectory.writeFile(out.resolve("curve.json"), Json.bytes(c));
            System.out.println("curve: " + out.resolve("curve.json"));
        }
        return 0;
    }

    static String table(DataEfficiency.Curve c, String input) {
        List<String> methods = c.rows().isEmpty() ? List.of() : new ArrayList<>(c.rows().get(0).cells().keySet());
        List<String> header = new ArrayList<>(List.of("per class", "train"));
        methods.forEach(m -> header.add(m + " %"));
        header.add("best - scratch (95% CI)");
        Table t = new Table(header.toArray(String[]::new));
        for (DataEfficiency.Row r : c.rows()) {
            List<Object> row = new ArrayList<>(List.of(r.perClass(), r.trainRows()));
            for (String m : methods) {
                DataEfficiency.Cell cell = r.cells().get(m);
                row.add(String.format(Locale.ROOT, "%.1f ± %.1f", 100 * cell.mean(), 100 * (cell.high95() - cell.mean())));
            }
            row.add(r.bestVsScratch() == null ? "-" : String.format(Locale.ROOT, "%s %+.1f (%+.1f..%+.1f)", r.best(),
                    100 * r.bestVsScratch().meanGain(), 100 * r.bestVsScratch().gainLow95(), 100 * r.bestVsScratch().gainHigh95()));
            t.row(row.toArray());
        }
        return String.format(Locale.ROOT, "backbone %s; seeds %s; %s; 80%% of each budget trains, 20%% validates%n",
                c.backbone(), c.seeds(), input) + t;
    }
}
