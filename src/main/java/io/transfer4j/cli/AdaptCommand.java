package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.adapt.AdaptConfig;
import io.transfer4j.adapt.AdaptRun;
import io.transfer4j.adapt.Adaptation;
import io.transfer4j.adapt.Method;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.data.Labelled;
import io.transfer4j.model.Classifier;
import io.transfer4j.report.RunReport;
import io.transfer4j.report.Table;
import io.transfer4j.run.RunSettings;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "adapt", mixinStandardHelpOptions = true,
        description = "Domain adaptation: train on labelled source data and adapt to unlabelled target data (another camera, "
                + "style or source of the same classes). Measures the domain shift first, trains source-only and the method(s) on "
                + "the same splits and seeds, chooses without target labels (a domain-adaptation bound, or deep embedded "
                + "validation), and writes an ordinary bundle for the target that predict, evaluate and export use.")
public final class AdaptCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin DataOptions data;
    @Mixin TrainOptions train;
    @Mixin ImageOptions images;

    @Option(names = "--source", required = true, description = "Labelled source data (images: folder per class, CSV or IDX; texts: "
            + ".csv, .jsonl, ...).")
    Path source;

    @Option(names = "--target", required = true, description = "Unlabelled target data (a folder of images, IDX, or texts); labels in "
            + "it are never read.")
    Path target;

    @Option(names = "--target-test", description = "Labelled target data to report accuracy on (read only after every choice is made).")
    Path targetTest;

    @Option(names = "--method", defaultValue = "auto", description = "source-only, adabn, coral, dan, dann, cdan, self-training or auto "
            + "(every method, the lowest estimated target risk kept) (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--trade-off", defaultValue = "1", description = "Weight of the domain loss against the source loss (default: ${DEFAULT-VALUE}).")
    float tradeOff;

    @Option(names = "--threshold", defaultValue = "0.9", description = "self-training: confidence a target prediction needs to become "
            + "a pseudo-label (default: ${DEFAULT-VALUE}).")
    float threshold;

    @Option(names = "--select", defaultValue = "bound", description = "The label-free estimate auto chooses by: bound (source "
            + "validation error + half the proxy A-distance in the model's features) or dev (deep embedded validation) "
            + "(default: ${DEFAULT-VALUE}).")
    String select;

    @Option(names = "--adapt-seeds", defaultValue = "3", description = "Seeds every method and source-only are trained over, each its "
            + "own split of the source, for the 95%% interval of the gain (default: ${DEFAULT-VALUE}).")
    int adaptSeeds;

    @Option(names = {"-o", "--out"}, required = true, description = "Directory to write the adapted bundle to (replaced atomically), "
            + "with adapt.json.")
    Path out;

    @Override
    public Integer call() {
        AdaptConfig config = AdaptConfig.builder().method(Method.parse(method)).tradeOff(tradeOff).threshold(threshold)
                .seeds(adaptSeeds)
                .selection(io.transfer4j.adapt.LabelFree.Selection.parse(select)).build();
        if (io.transfer4j.data.ImageDatasetReader.isImageData(source, images.imageColumn)) {
            if (train.backbone.equals(io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID)) {
                throw new UserException("images need an image backbone: --backbone DIR (a pretrain or train bundle), an .onnx model, "
                        + "or a built-in architecture (smallcnn, resnet18, resnet34, mobilenetv2)");
            }
            var cfg = ImageRunner.config(train.backbone, train.strategy(Strategy.Kind.FULL), train, images);
            var in = ImageRunner.read(cfg, images, source, targetTest, null, common.progress());
            var unlabelled = images.reader(common.progress()).unlabelled(List.of(target), in.backbone().shape());
            return run(Adaptation.of(Transfer.image(in.backbone(), cfg).progress(common.progress())).config(config), in.data(),
                    unlabelled, in.test());
        }
        var pipeline = train.transfer(common);
        return run(Adaptation.of(pipeline).config(config), data.labelled(source), data.unlabelled(target),
                targetTest == null ? null : data.labelled(targetTest));
    }

    private <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> int run(Adaptation<D, M, C> adaptation, D src,
            D tgt, D test) {
        adaptation = adaptation.log(System.out::println);
        try (AdaptRun<M, C> run = adaptation.run(src, tgt, test)) {
            adaptation.save(run, out, RunFile.write(spec));
            System.out.println();
            System.out.print(table(run));
            System.out.println(run.selection());
            System.out.println(run.verdict());
            System.out.println("adapted bundle: " + out + "  (every trial: " + out.resolve(Adaptation.ADAPT_JSON) + ", summary: "
                    + out.resolve(Bundle.SUMMARY) + ")");
        }
        return 0;
    }

    /** Each method over the seeds: source and target accuracy, the gain over source-only with its interval, the estimated risk. */
    static String table(AdaptRun<?, ?> run) {
        Table t = new Table("method", "source test", "target test", "gain vs source-only", "95% CI", "bound", "DEV risk", "time/run", "");
        for (AdaptRun.Summary s : run.methods()) {
            String mark = (s.method().equals(run.chosen()) ? "chosen" : "")
                    + (s.method().equals(run.oracle()) ? (s.method().equals(run.chosen()) ? ", " : "") + "oracle" : "");
            t.row(s.method(), RunReport.pct(s.sourceAccuracy()), Double.isNaN(s.targetAccuracy()) ? "-" : RunReport.pct(s.targetAccuracy()),
                    s.gain() == null ? "-" : String.format(Locale.ROOT, "%+.1f", 100 * s.gain().meanGain()),
                    s.gain() == null ? "-" : String.format(Locale.ROOT, "%+.1f to %+.1f", 100 * s.gain().gainLow95(), 100 * s.gain().gainHigh95()),
                    String.format(Locale.ROOT, "%.3f", s.bound()), String.format(Locale.ROOT, "%.3f", s.dev()), String.format(Locale.ROOT, "%.0f s", s.millis() / 1000.0), mark);
        }
        return t.toString();
    }
}
