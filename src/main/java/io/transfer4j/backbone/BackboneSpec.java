package io.transfer4j.backbone;

/**
 * One entry of the catalogue: what a pre-trained text encoder is and how to feed it. Everything a
 * run needs to reproduce the encoder's preprocessing is here, so a bundle can record it.
 *
 * @param width output vector size; 0 when unknown until the model is opened (user models)
 * @param prefix text prepended to every input (e5 expects "query: ")
 * @param maxLength longest token sequence the encoder was trained on
 * @param sizeMb size of the ONNX graph
 */
public record BackboneSpec(
        String id,
        String name,
        ModelSource source,
        Pooling pooling,
        String prefix,
        int maxLength,
        int width,
        String licence,
        String pretrainedOn,
        int sizeMb) {

    public BackboneSpec {
        prefix = prefix == null ? "" : prefix;
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength must be positive");
        }
    }

    /** This encoder pooled another way (its cache entries and bundles record the pooling). */
    public BackboneSpec withPooling(Pooling p) {
        return p == null || p == pooling ? this : new BackboneSpec(id, name, source, p, prefix, maxLength, width, licence, pretrainedOn, sizeMb);
    }

    /** A user's ONNX sentence encoder: the fields the catalogue cannot know are given or defaulted. */
    public static BackboneSpec userModel(String id, java.nio.file.Path onnx, java.nio.file.Path tokenizer,
            Pooling pooling, String prefix, int maxLength) {
        int mb = (int) Math.max(1, onnx.toFile().length() >> 20);
        return new BackboneSpec(id, "user model " + onnx.getFileName(), new ModelSource.Files(onnx, tokenizer),
                pooling, prefix, maxLength, 0, "as given by its owner", "unknown (user-supplied)", mb);
    }
}
