package io.transfer4j.cli;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.transfer4j.bundle.Bundle;
import io.transfer4j.bundle.ImageBundle;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.data.Labelled;
import io.transfer4j.data.TextDataset;
import io.transfer4j.model.Classifier;
import io.transfer4j.model.ImageModel;
import io.transfer4j.data.TextDatasetReader;
import io.transfer4j.report.Table;
import io.transfer4j.train.Inference;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify texts or images with a model bundle: given as arguments (a table on stdout) or from a file "
                + "(CSV with the label and one probability column per class). An image bundle reads image files, folders of "
                + "them, a CSV with a path column, or an IDX images file; an audio bundle WAV/FLAC files, folders of them or a CSV.")
public final class PredictCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = {"-m", "--model"}, required = true, description = "Model bundle directory (the --out of train).")
    Path model;

    @Option(names = {"-i", "--input"}, description = "File of texts (.csv, .tsv, .jsonl, .json).")
    Path input;

    @Option(names = "--text-column", defaultValue = "text", description = "Column holding the text in --input (default: ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--output", description = "Where to write the predictions CSV for --input; default stdout.")
    Path output;

    @Option(names = "--image-column", defaultValue = "path", description = "Images: CSV column with image paths (default: ${DEFAULT-VALUE}).")
    String imageColumn;

    @Option(names = "--audio-column", defaultValue = "path", description = "Audio: CSV column with clip paths (default: ${DEFAULT-VALUE}).")
    String audioColumn;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Texts (or, for an image or audio bundle, image or WAV/FLAC files and folders) to classify.")
    List<String> texts = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (texts.isEmpty() == (input == null)) {
            throw new UserException("give either texts as arguments or --input FILE, not " + (input == null ? "neither" : "both"));
        }
        if (io.transfer4j.bundle.AudioBundle.isAudioBundle(model)) {
            try (io.transfer4j.model.AudioModel m = io.transfer4j.bundle.AudioBundle.load(model)) {
                List<Path> paths = input != null ? List.of(input) : texts.stream().map(Path::of).toList();
                var clips = new io.transfer4j.data.AudioDatasetReader(audioColumn, "label", null, common.progress())
                        .unlabelled(paths, m.backbone().sampleRate());
                return predict(m, clips, "clip", clips.sources(), clips.sources());
            }
        }
        if (io.transfer4j.bundle.ImageBundle.isImageBundle(model)) {
            try (ImageModel m = ImageBundle.load(model)) {
                List<Path> paths = input != null ? List.of(input) : texts.stream().map(Path::of).toList();
                ImageDataset images = new ImageDatasetReader(imageColumn, "label", common.progress()).unlabelled(paths, m.backbone().shape());
                return predict(m, images, "image", images.sources(), images.sources());
            }
        }
        List<String> todo = input == null ? texts : TextDatasetReader.unlabelled(textColumn).read(input).texts();
        try (ProbeClassifier c = Bundle.load(model)) {
            return predict(c, new TextDataset("arguments", todo, null), "text", todo,
                    todo.stream().map(TextDataset::abbreviate).toList());
        }
    }

    /**
     * The same output for any modality: a table of each row's label and probability when the rows
     * came as arguments, else a CSV (stdout or --output) with one probability column per class.
     *
     * @param column what a row is ("text", "image"), the CSV's first column
     * @param values each row as the CSV gives it; {@code shown} as the table shows it
     */
    private <D extends Labelled<D>> int predict(Classifier<D> c, D rows, String column, List<String> values, List<String> shown)
            throws IOException {
        float[][] p = c.probabilities(rows, common.progress());
        if (input == null) {
            Table t = new Table("label", "p", column);
            for (int i = 0; i < p.length; i++) {
                int k = Inference.argMax(p[i]);
                t.row(c.labels().name(k), String.format(Locale.ROOT, "%.3f", p[i][k]), shown.get(i));
            }
            System.out.print(t);
            return 0;
        }
        CsvSchema.Builder schema = CsvSchema.builder().addColumn(column).addColumn("label");
        c.labels().names().forEach(l -> schema.addColumn("p_" + l));
        StringWriter sw = new StringWriter();
        try (SequenceWriter w = new CsvMapper().writer(schema.build().withHeader()).writeValues(sw)) {
            for (int i = 0; i < p.length; i++) {
                List<Object> row = new ArrayList<>(List.of(values.get(i), c.labels().name(Inference.argMax(p[i]))));
                for (float v : p[i]) {
                    row.add(String.format(Locale.ROOT, "%.6f", v));
                }
                w.write(row);
            }
        }
        byte[] csv = sw.toString().getBytes(StandardCharsets.UTF_8);
        if (output == null) {
            System.out.write(csv);
            System.out.flush();
        } else {
            AtomicDirectory.writeFile(output, csv);
            System.err.println("wrote " + p.length + " predictions to " + output);
        }
        return 0;
    }
}
