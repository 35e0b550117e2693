package io.transfer4j.data;

import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Labelled images of one shape, held as 8-bit pixels (channel-major, C·H·W per image) so that
 * tens of thousands fit on the heap; they become floats one training batch at a time.
 *
 * @param sources where each image came from (file path, or IDX file and index), for messages
 * @param groups each image's group for a bias audit (a CSV's --group-column), or null
 */
public record ImageDataset(String source, byte[][] pixels, int channels, int height, int width, List<String> labels,
        List<String> sources, List<String> groups) implements Labelled<ImageDataset> {

    public ImageDataset {
        if (pixels.length != labels.size() || pixels.length != sources.size() || (groups != null && groups.size() != pixels.length)) {
            throw new IllegalArgumentException("pixels, labels, sources and groups differ in length");
        }
        groups = groups == null ? null : List.copyOf(groups);
        int len = channels * height * width;
        for (byte[] p : pixels) {
            if (p.length != len) {
                throw new IllegalArgumentException("every image must hold " + len + " values");
            }
        }
        labels = List.copyOf(labels);
        sources = List.copyOf(sources);
    }

    public ImageDataset(String source, byte[][] pixels, int channels, int height, int width, List<String> labels, List<String> sources) {
        this(source, pixels, channels, height, width, labels, sources, null);
    }

    public int size() {
        return pixels.length;
    }

    @Override
    public String rowName(int i) {
        return sources.get(i);
    }

    @Override
    public String rowNoun() {
        return "image";
    }

    public int pixelsPerImage() {
        return channels * height * width;
    }

    public Map<String, Integer> classCounts() {
        Map<String, Integer> m = new TreeMap<>();
        labels.forEach(l -> m.merge(l, 1, Integer::sum));
        return m;
    }

    public LabelMap labelMap() {
        return LabelMap.of(labels);
    }

    /** Label indices against {@code map}; a label the map lacks is a user error naming it. */
    public int[] labelIndices(LabelMap map) {
        return Labelled.indicesOf(labels, map, source, "use images of the model's classes (--classes) or retrain with them");
    }

    /** Fails with a one-line message unless there are images of at least two classes. */
    public ImageDataset requireTrainable() {
        if (size() == 0) {
            throw new UserException(source + " holds no images; point --data at a folder per class, a CSV of path,label or IDX files");
        }
        if (classCounts().size() < 2) {
            throw new UserException(source + " has a single class ('" + labels.get(0) + "'); a classifier needs at least two");
        }
        return this;
    }

    /**
     * A short name of where the images came from (the folder or file name, without the subset
     * suffixes and compression extension), used to name a network pre-trained on them.
     */
    public String name() {
        String base = source;
        int cut = base.indexOf('#');
        if (cut > 0) {
            base = base.substring(0, cut);
        }
        java.nio.file.Path path = java.nio.file.Path.of(base);
        java.nio.file.Path file = path.getFileName();
        String n = file == null ? base : file.toString();
        n = n.replaceFirst("\\.gz$", "").replaceFirst("-idx\\d-ubyte$", "").replaceFirst("\\.csv$", "");
        // MNIST-style files are all called train-images: the folder holding them names the data
        if (n.matches("(train|t10k|test)-images") && path.getParent() != null && path.getParent().getFileName() != null) {
            n = path.getParent().getFileName().toString();
        }
        return n.isEmpty() ? "images" : n;
    }

    public ImageDataset subset(int[] indices, String suffix) {
        byte[][] px = new byte[indices.length][];
        List<String> l = new ArrayList<>(indices.length);
        List<String> s = new ArrayList<>(indices.length);
        List<String> g = groups == null ? null : new ArrayList<>(indices.length);
        for (int i = 0; i < indices.length; i++) {
            px[i] = pixels[indices[i]];
            l.add(labels.get(indices[i]));
            s.add(sources.get(indices[i]));
            if (g != null) {
                g.add(groups.get(indices[i]));
            }
        }
        return new ImageDataset(source + suffix, px, channels, height, width, l, s, g);
    }

    /** Only the images whose label is in {@code keep}. */
    public ImageDataset withClasses(java.util.Collection<String> keep) {
        int[] idx = java.util.stream.IntStream.range(0, size()).filter(i -> keep.contains(labels.get(i))).toArray();
        return subset(idx, "#classes" + keep);
    }

    /**
     * A stratified split into train, validation (and test, when {@code testFraction > 0}), by
     * {@link StratifiedSplitter}.
     */
    public Split<ImageDataset> split(double validationFraction, double testFraction, long seed) {
        return new StratifiedSplitter(validationFraction, testFraction, seed).split(this);
    }

    /** SHA-256 over the shape, pixels and labels: two runs on the same images agree. */
    public String contentHash() {
        {
            MessageDigest md = Hashing.sha256();
            md.update(ByteBuffer.allocate(12).putInt(channels).putInt(height).putInt(width).array());
            for (int i = 0; i < size(); i++) {
                md.update(pixels[i]);
                md.update(labels.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        }
    }
}
