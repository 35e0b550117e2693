package io.transfer4j.cli;

import io.transfer4j.onnx.Precision;
import picocli.CommandLine.ITypeConverter;

/** {@code --precision fp32|bf16|auto}, in any case. */
final class PrecisionConverter implements ITypeConverter<Precision> {
    @Override
    public Precision convert(String value) {
        return Precision.parse(value);
    }
}
