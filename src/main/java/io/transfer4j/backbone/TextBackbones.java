package io.transfer4j.backbone;

import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@link BackboneRef} as a text encoder, or a one-line error saying why it is not one. */
public final class TextBackbones {
    private TextBackbones() {}

    public static BackboneSpec resolve(BackboneCatalogue catalogue, String reference) {
        BackboneRef ref = BackboneRef.parse(reference);
        if (ref instanceof BackboneRef.Cut c) {
            return LayerCut.cut(catalogue, c);
        }
        if (ref instanceof BackboneRef.Bundle b) {
            return bundled(catalogue, b.dir());
        }
        if (ref instanceof BackboneRef.BuiltIn b) {
            throw new UserException("'" + b.text() + "' is a built-in image architecture; texts need a sentence encoder: a catalogue "
                    + "id (see `./transfer4j backbones`), id@layer, or an .onnx file with its tokenizer.json");
        }
        return catalogue.resolve(ref.text()); // a catalogue id or an .onnx file
    }

    /**
     * A fine-tuned text bundle carries its encoder (backbone/model.onnx and tokenizer.json): transfer
     * from it. A linear-probe bundle holds only a head on a catalogue encoder, and an image bundle no
     * text encoder at all: both are one-line errors naming what to give instead.
     */
    private static BackboneSpec bundled(BackboneCatalogue catalogue, Path dir) {
        Path onnx = dir.resolve("backbone").resolve("model.onnx");
        Path tokenizer = onnx.resolveSibling("tokenizer.json");
        if (Files.isRegularFile(onnx) && Files.isRegularFile(tokenizer)) {
            return catalogue.resolve(onnx.toString());
        }
        if (Files.isRegularFile(onnx)) {
            throw new UserException(dir + " is an image bundle; texts need a sentence encoder (see `./transfer4j backbones`)");
        }
        throw new UserException(dir + " holds a head on a catalogue encoder, not an encoder of its own; give that encoder's id "
                + "as --backbone (its manifest.json names it under backbone.id)");
    }
}
