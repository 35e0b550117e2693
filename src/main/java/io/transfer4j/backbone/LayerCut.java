package io.transfer4j.backbone;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.ModelSource;
import io.transfer4j.onnx.GraphEdits;
import io.transfer4j.onnx.LayerOutputs;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A backbone cut after one of its layers, named {@code backbone@layer} (e.g.
 * {@code minilm-q@encoder.layer.3}, as {@code rank --layers} prints them): the graph up to that
 * layer, whose hidden states are pooled the backbone's way. Lower layers carry more general
 * features; transferring fewer of them is the other half of "which layers to transfer".
 */
public final class LayerCut {
    public static final char SEPARATOR = '@';

    private LayerCut() {}

    /** A text reference as its encoder: {@code backbone@layer} as its cut, the rest as {@link TextBackbones} resolves them. */
    public static BackboneSpec resolve(BackboneCatalogue catalogue, String id) {
        return TextBackbones.resolve(catalogue, id);
    }

    /** The catalogue entry {@code cut.base()} cut after {@code cut.layer()}. */
    static BackboneSpec cut(BackboneCatalogue catalogue, BackboneRef.Cut ref) {
        BackboneSpec base = catalogue.resolve(ref.base());
        String layer = ref.layer();
        BackboneFiles files = BackboneLocator.standard().locate(base);
        Map<String, String> layers = LayerOutputs.of(OnnxFile.read(files.onnx()));
        String tensor = layers.get(layer);
        if (tensor == null) {
            throw new UserException("backbone " + base.id() + " has no layer '" + layer + "'; its layers are "
                    + String.join(", ", layers.keySet()) + " (see `rank --layers`)");
        }
        Path cut = cut(files, layer, List.of(tensor)).onnx();
        return new BackboneSpec(base.id() + SEPARATOR + layer, base.name() + ", cut after " + layer,
                new ModelSource.Files(cut, files.tokenizer()), base.pooling(), base.prefix(), base.maxLength(), base.width(),
                base.licence(), base.pretrainedOn(), (int) Math.max(1, cut.toFile().length() >> 20));
    }

    /**
     * The backbone with {@code tensors} as its outputs, written once next to the extracted
     * backbones and named by the source's hash and {@code name}.
     */
    public static BackboneFiles cut(BackboneFiles files, String name, List<String> tensors) {
        Path p = Dirs.backbones().resolve("cuts").resolve(files.sha256().substring(0, 16) + "-" + name + ".onnx");
        if (!Files.isRegularFile(p)) {
            OnnxFile cut = GraphEdits.cutAt(OnnxFile.read(files.onnx()), tensors);
            AtomicDirectory.writeFile(p, cut.model().toByteArray());
        }
        return new BackboneFiles(p, files.tokenizer(), Hashing.sha256Hex(p));
    }
}
