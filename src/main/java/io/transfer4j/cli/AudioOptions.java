package io.transfer4j.cli;

import io.transfer4j.data.AudioAugmentation;
import io.transfer4j.data.AudioDatasetReader;
import io.transfer4j.util.Progress;
import picocli.CommandLine.Option;

/** How audio is read and augmented (used when --data holds WAV/FLAC clips); --augment is shared with images. */
public final class AudioOptions {
    @Option(names = "--audio-column", defaultValue = "path",
            description = "Audio: CSV column with each clip's path, relative to the CSV (default: ${DEFAULT-VALUE}).")
    String audioColumn;

    @Option(names = "--clip-seconds", defaultValue = "0",
            description = "Audio: every clip is centred in silence or cut to its loudest stretch of this length (default: the "
                    + "95th-percentile duration of the clips plus one 0.78 s window, so windows see the sound whole; at most 10 s).")
    double clipSeconds;

    @Option(names = "--sample-rate", defaultValue = "0",
            description = "Audio, .onnx encoder reading the waveform: its sample rate (default: 16000).")
    int sampleRate;

    @Option(names = "--noise", description = "Audio: a folder of WAV/FLAC background recordings for --augment noise.")
    String noise;

    AudioAugmentation augmentation(String spec) {
        return AudioAugmentation.parse(spec, noise != null);
    }

    AudioDatasetReader reader(String groupColumn, Progress progress) {
        return new AudioDatasetReader(audioColumn, "label", groupColumn, progress);
    }
}
