package io.transfer4j.backbone;

import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a {@code --backbone} string names, decided once, in one place, for every modality:
 * a bundle folder, an {@code .onnx} file, a built-in architecture, a catalogue id cut after one of
 * its layers ({@code id@layer}), or a catalogue id. Each modality then says which kinds it reads.
 */
public sealed interface BackboneRef {
    /** The reference as the user wrote it (what runs and bundles record). */
    String text();

    /** A folder written by {@code train} or {@code pretrain}. */
    record Bundle(String text, Path dir) implements BackboneRef {}

    /** Any ONNX model file (for texts with its tokenizer.json beside it). */
    record OnnxModel(String text, Path file) implements BackboneRef {}

    /** One of {@link Architectures#NAMES}, with fresh weights. */
    record BuiltIn(String text) implements BackboneRef {}

    /** A catalogue entry cut after one of its layers, as {@code rank --layers} names them. */
    record Cut(String text, String base, String layer) implements BackboneRef {}

    /** An entry of the catalogue ({@code ./transfer4j backbones}), built in or registered. */
    record Catalogue(String text) implements BackboneRef {}

    static BackboneRef parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new UserException("--backbone is empty; give a catalogue id (see `./transfer4j backbones`), an .onnx file, "
                    + "a bundle folder or a built-in architecture (" + String.join(", ", Architectures.NAMES) + ")");
        }
        String r = reference.trim();
        Path asPath = Path.of(r);
        if (Files.isDirectory(asPath)) {
            return new Bundle(r, asPath);
        }
        if (r.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return new OnnxModel(r, asPath);
        }
        if (Architectures.isBuiltIn(r)) {
            return new BuiltIn(r);
        }
        int at = r.lastIndexOf(LayerCut.SEPARATOR);
        if (at > 0 && at < r.length() - 1) {
            return new Cut(r, r.substring(0, at), r.substring(at + 1));
        }
        return new Catalogue(r);
    }

}
