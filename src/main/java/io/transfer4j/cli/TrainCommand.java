package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.data.Labelled;
import io.transfer4j.model.Classifier;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.TransferRun;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.data.TextDataset;
import io.transfer4j.report.RunReport;
import io.transfer4j.train.Strategy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a classifier on a pre-trained backbone (frozen features, or fine-tuned with --strategy), and a "
                + "scratch baseline on the same split; print both on the held-out split and write the model bundle.")
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Mixin DataOptions data;
    @Mixin TrainOptions train;
    @Mixin ImageOptions images;
    @Mixin AudioOptions audio;

    @Option(names = "--config", description = "A YAML file of option: value lines (e.g. strategy: lora); options on the command line win.")
    Path config;

    @Option(names = {"-d", "--data"}, description = "Labelled texts (.csv, .tsv, .jsonl, .json, or a folder with one sub-folder of .txt "
            + "files per class), images (a folder with one sub-folder of images per class, a CSV with a path column, or an IDX images file) "
            + "or audio (a folder with one sub-folder of WAV/FLAC clips per class, or a CSV with a path column).")
    Path dataPath;

    @Option(names = "--test-data", description = "Held-out texts to report on; without it a stratified 20%% of --data is held out.")
    Path testPath;

    @Option(names = {"-o", "--out"}, description = "Directory to write the model bundle to (replaced atomically).")
    Path out;

    @Option(names = "--group-column", description = "Bias audit: column naming each row's group (e.g. a demographic "
            + "attribute; for images a column of the CSV listing them); accuracy and true/false-positive rates per group for "
            + "scratch, linear probe and fine-tuned model.")
    String groupColumn;

    @Mixin CheckpointOptions checkpoints;

    @Override
    public Integer call() {
        if (dataPath == null || out == null) {
            throw new io.transfer4j.util.UserException("train needs --data and --out (on the command line or in --config)");
        }
        if (io.transfer4j.data.AudioDatasetReader.isAudioData(dataPath, audio.audioColumn)) {
            return trainAudio();
        }
        if (io.transfer4j.data.ImageDatasetReader.isImageData(dataPath, images.imageColumn)) {
            return trainImages();
        }
        TextDataset all = data.labelled(dataPath, groupColumn);
        TextDataset test = testPath == null ? null : data.labelled(testPath, groupColumn);
        var t = train.transfer(common);
        if (t.config().strategy().tunesBackbone()) {
            t = t.checkpoints(checkpoints.at(out));
        }
        trainAndSave(t, all, test, out, RunFile.write(spec));
        if (t.config().strategy().tunesBackbone()) {
            checkpoints.remove(out);
        }
        return 0;
    }

    private int trainImages() {
        if (train.backbone.equals(io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID)) {
            throw new io.transfer4j.util.UserException("images need an image backbone: --backbone DIR (a pretrain or train bundle), "
                    + "an .onnx model, or a built-in architecture (smallcnn, resnet18, resnet34, mobilenetv2) with --strategy full");
        }
        var config = ImageRunner.config(train.backbone, train.strategy(Strategy.Kind.AUTO), train, images);
        var in = ImageRunner.read(config, images, dataPath, testPath, groupColumn, common.progress());
        var pipeline = Transfer.image(in.backbone(), config).seeds(train.seedsOrDefault()).progress(common.progress());
        trainAndSave(pipeline, in.data(), in.test(), out, RunFile.write(spec));
        return 0;
    }

    private int trainAudio() {
        var config = AudioRunner.config(train.backbone, train.strategy(Strategy.Kind.AUTO), train, images, audio);
        var in = AudioRunner.read(config, audio, dataPath, testPath, groupColumn, common.progress());
        var pipeline = Transfer.audio(in.backbone(), in.config()).seeds(train.seedsOrDefault()).progress(common.progress());
        trainAndSave(pipeline, in.data(), in.test(), out, RunFile.write(spec));
        return 0;
    }

    /**
     * Transfer and scratch on the data (repeated over the transfer's guard seeds); the first
     * seed's model is saved with the comparison (and the run's options as {@code config.yaml}),
     * and the results are printed with what the verdict rests on.
     */
    static <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> void trainAndSave(Pipeline<D, M, C> t, D all,
            D test, Path out, byte[] configYaml) {
        try (var run = test == null ? t.run(all) : t.run(all, test)) {
            saveAndPrint(t, run, out, configYaml);
        }
    }

    /** Any modality's run: its bundle written, then the results and what the verdict rests on printed. */
    static <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> void saveAndPrint(Pipeline<D, M, C> t,
            TransferRun<M, C> run, Path out, byte[] configYaml) {
        t.save(run, out, configYaml);
        System.out.print(RunReport.table(run));
        System.out.print(RunReport.verdict(run));
        System.out.println("model bundle: " + out + "  (summary: " + out.resolve(Bundle.SUMMARY) + ")");
    }
}
