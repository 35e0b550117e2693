package io.transfer4j;

import io.transfer4j.data.Sampling;
import io.transfer4j.data.Split;
import io.transfer4j.data.TextDataset;
import io.transfer4j.data.TextDatasetReader;
import java.nio.file.Path;
import java.util.List;

/** The committed IMDB demo reviews, and a small fixed split of them that keeps tests fast. */
public final class TestData {
    public static final Path DEMO = Path.of("data", "demo", "imdb-demo.csv");

    private TestData() {}

    /** Where Debian's dataset-fashion-mnist (scripts/test.sh installs it) or scripts/fetch-data.sh put Fashion-MNIST; null when neither did. */
    public static Path fashion() {
        return List.of(Path.of("/usr/share/datasets/fashion-mnist"), Path.of(System.getProperty("user.home"), ".cache/transfer4j/data/fashion-mnist"))
                .stream().filter(p -> java.nio.file.Files.isRegularFile(p.resolve("train-images-idx3-ubyte.gz"))).findFirst().orElse(null);
    }

    public static TextDataset demo() {
        return TextDatasetReader.labelled("text", "label").read(DEMO);
    }

    /** 300 train, 60 validation, 240 test reviews, disjoint, seed 5. */
    public static Split<TextDataset> smallSplit() {
        List<TextDataset> p = Sampling.disjoint(demo(), 5, 300, 60, 240);
        return new Split<>(p.get(0), p.get(1), p.get(2));
    }
}
