package io.transfer4j.backbone;

import java.nio.file.Path;

/**
 * An audio backbone ready to run, in two stages: a fixed front end (an ONNX graph from a clip
 * {@code [1, samples]} to frames {@code [.., frames, bins]}, e.g. log-mel; null when the encoder
 * reads the waveform itself, one sample per frame), then a trainable encoder over windows of
 * {@code windowFrames} frames taken every {@code windowHop} frames, one feature vector per window;
 * a clip's features are the mean over its windows.
 *
 * @param sampleScale the front end's input is the waveform times this: 32768 for openWakeWord's graph, which
 *     takes 16-bit PCM values as floats, as its Python code feeds it (the browser package's [-1, 1] samples
 *     sit 90 dB below what the embedding was trained on)
 * @param frameScale, frameOffset applied to every front-end value ({@code v * scale + offset}): openWakeWord's
 *     {@code x / 10 + 2} for Google's speech_embedding
 * @param frameLength, frameHop samples each front-end frame spans and the hop between frames (1 and 1 for a waveform encoder)
 * @param windowShape one window as the encoder's input takes it, without the batch dimension (e.g. [76, 32, 1])
 * @param arch the built-in architecture it is (or was pre-trained as), null for imported models
 * @param licence of the weights, as the registry states it
 */
public record AudioBackbone(String id, Path frontEnd, String frontEndSha256, float sampleScale, float frameScale, float frameOffset, int bins,
        int frameLength, int frameHop, Path onnx, String sha256, String input, long[] windowShape, int windowFrames, int windowHop, int sampleRate,
        int features, String arch, boolean pretrained, String licence) {

    /** Samples one window of frames spans: the shortest clip that gives one window. */
    public int minSamples() {
        return (windowFrames - 1) * frameHop + frameLength;
    }

    /** The clip length in samples for {@code seconds}: never shorter than one window. */
    public int samplesFor(double seconds) {
        return Math.max(minSamples(), (int) Math.round(seconds * sampleRate));
    }

    /** Frames a clip of {@code samples} gives. */
    public int frames(int samples) {
        return samples < frameLength ? 0 : (samples - frameLength) / frameHop + 1;
    }

    /** Windows a clip of {@code samples} gives (at least one: {@link #minSamples} is the shortest clip length allowed). */
    public int windows(int samples) {
        return Math.max(1, (frames(samples) - windowFrames) / windowHop + 1);
    }

    /** The same backbone with another encoder graph (a fine-tuned copy). */
    public AudioBackbone withEncoder(String newId, Path newOnnx, String newSha, String newArch) {
        return new AudioBackbone(newId, frontEnd, frontEndSha256, sampleScale, frameScale, frameOffset, bins, frameLength, frameHop, newOnnx, newSha, input, windowShape,
                windowFrames, windowHop, sampleRate, features, newArch, true, licence);
    }
}
