package io.transfer4j.cli;

import io.transfer4j.data.TextDataset;
import io.transfer4j.data.TextDatasetReader;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Sentiment on the bundled IMDB demo reviews: the default pre-trained encoder with a logistic head "
                + "against a from-scratch baseline, then a model bundle you can call predict on.")
public final class QuickstartCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin TrainOptions train;

    @Option(names = {"-o", "--out"}, defaultValue = "runs/quickstart", description = "Where to write the bundle (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        Path demo = demoData();
        TextDataset data = TextDatasetReader.labelled("text", "label").read(demo);
        System.out.println("transfer4j quickstart: " + data.size() + " IMDB reviews from " + demo + " (see data/demo/PROVENANCE.md)");
        TrainCommand.trainAndSave(train.transfer(common), data, null, out, RunFile.write(spec));
        System.out.println();
        System.out.println("try it:");
        System.out.println("  ./transfer4j predict --model " + out + " \"A moving, beautifully acted film.\" \"Dull and far too long.\"");
        System.out.println("  ./transfer4j evaluate --model " + out + " --data " + demo);
        return 0;
    }

    static Path demoData() {
        String app = System.getProperty("transfer4j.app", ".");
        Path p = Path.of(app, "data", "demo", "imdb-demo.csv");
        if (!Files.isRegularFile(p)) {
            throw new UserException("demo data " + p + " not found; run quickstart from the transfer4j checkout via ./transfer4j");
        }
        return p;
    }
}
