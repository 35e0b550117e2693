package io.transfer4j.data;

import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads labelled audio (a folder with one sub-folder of WAV/FLAC files per class, or a CSV with
 * a path column and a label column) or unlabelled clips to classify, every clip decoded to mono
 * and resampled to {@code sampleRate} with the band-limited {@link Resampler}.
 */
public final class AudioDatasetReader {
    /** The audio files read here, as listings name them. */
    public static final LabelledFiles.Kind KIND = new LabelledFiles.Kind(Set.of("wav", "flac"), "audio file", "--audio-column");

    private final String pathColumn;
    private final String labelColumn;
    private final String groupColumn;
    private final Progress progress;

    /** @param groupColumn a CSV column naming each clip's group for the bias audit; null for none */
    public AudioDatasetReader(String pathColumn, String labelColumn, String groupColumn, Progress progress) {
        this.pathColumn = pathColumn;
        this.labelColumn = labelColumn;
        this.groupColumn = groupColumn;
        this.progress = progress;
    }

    public static AudioDatasetReader defaults() {
        return new AudioDatasetReader("path", "label", null, Progress.SILENT);
    }

    /** Whether {@code path} holds audio in a layout read here (so a command can tell audio from texts and images). */
    public static boolean isAudioData(Path path, String pathColumn) {
        if (Files.isRegularFile(path)) {
            String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (KIND.accepts(path)) {
                return true;
            }
            if (n.endsWith(".csv") && pathColumn != null && LabelledFiles.csvHeader(path).contains(pathColumn)) {
                Path first = LabelledFiles.firstListed(path, pathColumn);
                return first != null && KIND.accepts(first);
            }
            return false;
        }
        return Files.isDirectory(path) && LabelledFiles.holds(path, KIND)
                && !LabelledFiles.holds(path, ImageDatasetReader.KIND); // a folder of both reads as images, as before
    }

    /** All clips at {@code path}, labelled by sub-folder or by the CSV's label column. */
    public AudioDataset read(Path path, int sampleRate) {
        if (!Files.exists(path)) {
            throw new UserException("audio data " + path + " does not exist; check the path");
        }
        LabelledFiles f;
        if (Files.isDirectory(path)) {
            if (groupColumn != null) {
                throw new UserException("--group-column reads a column of a CSV of clips, but " + path + " is a folder; "
                        + "list the clips in a CSV with path, label and group columns");
            }
            f = LabelledFiles.folder(path, KIND);
        } else if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            f = LabelledFiles.csv(path, KIND, pathColumn, labelColumn, groupColumn, true);
        } else {
            throw new UserException(path + " is a single file; labelled audio is a folder with one sub-folder of WAV/FLAC files per class, "
                    + "or a CSV with " + pathColumn + " and " + labelColumn + " columns");
        }
        return decodeAll(f.source(), f.files(), f.labels(), f.groups(), sampleRate);
    }

    /** Clips to classify: audio files, folders searched recursively, or a CSV's path column; labels "". */
    public AudioDataset unlabelled(List<Path> paths, int sampleRate) {
        List<Path> files = LabelledFiles.unlabelled(paths, KIND, pathColumn);
        return decodeAll(paths.toString(), files, Collections.nCopies(files.size(), ""), null, sampleRate);
    }

    private AudioDataset decodeAll(String source, List<Path> files, List<String> labels, List<String> groups, int sampleRate) {
        float[][] clips = new float[files.size()][];
        try (Progress.Task task = progress.start("decode audio", files.size(), "clips")) {
            for (int i = 0; i < clips.length; i++) {
                clips[i] = clip(files.get(i), sampleRate);
                task.step(1);
            }
        }
        return new AudioDataset(source, clips, sampleRate, labels, files.stream().map(Path::toString).toList(), groups);
    }

    /** One file decoded to mono at {@code sampleRate}. */
    public static float[] clip(Path file, int sampleRate) {
        AudioDecoder.Clip c = AudioDecoder.decode(file);
        float[] x = Resampler.resample(c.samples(), c.sampleRate(), sampleRate);
        for (float v : x) {
            if (!Float.isFinite(v)) {
                throw new UserException("audio file " + file + " holds NaN or infinite samples; it is corrupt: replace or remove it");
            }
        }
        return x;
    }
}
