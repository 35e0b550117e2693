package io.transfer4j.data;

import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Labelled audio clips, mono at one sample rate (the backbone's: they are resampled when read),
 * each as long as its recording; the run's clip-length policy is applied when clips become
 * network input, so augmentation can still shift within the whole recording.
 *
 * @param sources where each clip came from (its file), for messages and per-clip results
 * @param groups each clip's group for a bias audit (a CSV's --group-column), or null
 */
public record AudioDataset(String source, float[][] clips, int sampleRate, List<String> labels, List<String> sources,
        List<String> groups) implements Labelled<AudioDataset> {

    public AudioDataset {
        if (clips.length != labels.size() || clips.length != sources.size() || (groups != null && groups.size() != clips.length)) {
            throw new IllegalArgumentException("clips, labels, sources and groups differ in length");
        }
        labels = List.copyOf(labels);
        sources = List.copyOf(sources);
        groups = groups == null ? null : List.copyOf(groups);
    }

    @Override
    public int size() {
        return clips.length;
    }

    @Override
    public String rowName(int i) {
        return sources.get(i);
    }

    @Override
    public String rowNoun() {
        return "clip";
    }

    public Map<String, Integer> classCounts() {
        Map<String, Integer> m = new TreeMap<>();
        labels.forEach(l -> m.merge(l, 1, Integer::sum));
        return m;
    }

    @Override
    public LabelMap labelMap() {
        return LabelMap.of(labels);
    }

    @Override
    public int[] labelIndices(LabelMap map) {
        return Labelled.indicesOf(labels, map, source, "use clips of the model's classes or retrain with them");
    }

    @Override
    public AudioDataset requireTrainable() {
        if (size() == 0) {
            throw new UserException(source + " holds no clips; point --data at a folder per class of WAV/FLAC files or a CSV of path,label");
        }
        if (classCounts().size() < 2) {
            throw new UserException(source + " has a single class ('" + labels.get(0) + "'); a classifier needs at least two");
        }
        return this;
    }

    @Override
    public AudioDataset subset(int[] indices, String suffix) {
        float[][] c = new float[indices.length][];
        List<String> l = new ArrayList<>(indices.length);
        List<String> s = new ArrayList<>(indices.length);
        List<String> g = groups == null ? null : new ArrayList<>(indices.length);
        for (int i = 0; i < indices.length; i++) {
            c[i] = clips[indices[i]];
            l.add(labels.get(indices[i]));
            s.add(sources.get(indices[i]));
            if (g != null) {
                g.add(groups.get(indices[i]));
            }
        }
        return new AudioDataset(source + suffix, c, sampleRate, l, s, g);
    }

    /** Durations in seconds, one per clip. */
    public double[] seconds() {
        double[] d = new double[size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = clips[i].length / (double) sampleRate;
        }
        return d;
    }

    /** SHA-256 over the rate, samples and labels: two runs on the same clips agree. */
    @Override
    public String contentHash() {
        MessageDigest md = Hashing.sha256();
        md.update(ByteBuffer.allocate(4).putInt(sampleRate).array());
        for (int i = 0; i < size(); i++) {
            ByteBuffer b = ByteBuffer.allocate(clips[i].length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(clips[i]);
            md.update(b.array());
            md.update(labels.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
