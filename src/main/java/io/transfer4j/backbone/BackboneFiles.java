package io.transfer4j.backbone;

import java.nio.file.Path;

/** A backbone on local disk, with the SHA-256 of its ONNX graph that bundles pin. */
public record BackboneFiles(Path onnx, Path tokenizer, String sha256) {}
