package io.transfer4j.cli;

import io.transfer4j.TextTransfer;
import io.transfer4j.TransferRun;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.data.TextDataset;
import io.transfer4j.report.RunReport;
import io.transfer4j.select.NegativeTransferGuard;
import io.transfer4j.select.SeedComparison;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a classifier on a pre-trained backbone's features, and a scratch baseline on the same split; "
                + "print both on the held-out split and write the model bundle.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DataOptions data;
    @Mixin TrainOptions train;

    @Option(names = {"-d", "--data"}, required = true, description = "Labelled texts: .csv, .tsv, .jsonl, .json, or a folder with one sub-folder of .txt files per class.")
    Path dataPath;

    @Option(names = "--test-data", description = "Held-out texts to report on; without it a stratified 20% of --data is held out.")
    Path testPath;

    @Option(names = {"-o", "--out"}, required = true, description = "Directory to write the model bundle to (replaced atomically).")
    Path out;

    @Override
    public Integer call() {
        TextDataset all = data.labelled(dataPath);
        TextDataset test = testPath == null ? null : data.labelled(testPath);
        trainAndSave(train, common, all, test, out);
        return 0;
    }

    /**
     * Transfer and scratch on the data, repeated over the seeds the options ask for; the first
     * seed's model is saved with the comparison, and the results are printed.
     */
    static void trainAndSave(TrainOptions train, CommonOptions common, TextDataset all, TextDataset test, Path out) {
        TextTransfer t = train.transfer(common);
        try (TransferRun run = test == null ? t.run(all) : t.run(all, test)) {
            SeedComparison guard = train.seeds > 1 ? NegativeTransferGuard.compare(t, all, test, run, train.seeds) : null;
            Bundle.save(run, out, guard);
            System.out.print(RunReport.table(run));
            if (guard != null) {
                System.out.print(RunReport.guard(guard));
            }
            System.out.println("model bundle: " + out + "  (summary: " + out.resolve(Bundle.SUMMARY) + ")");
        }
    }
}
