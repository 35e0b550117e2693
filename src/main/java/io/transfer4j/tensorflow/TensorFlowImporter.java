package io.transfer4j.tensorflow;

import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.tensorflow.proto.Tf.TensorInfo;
import io.transfer4j.util.UserException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Imports a TensorFlow SavedModel as an ONNX graph that transfer4j's trainable importer, ONNX
 * Runtime and the exporter all run: the sub-graph a signature's outputs depend on, with the
 * checkpoint's variables as trainable initializers. Signature names are mapped to the names
 * Hugging Face exports use, so a BERT-family SavedModel plugs in where any text encoder does.
 */
public final class TensorFlowImporter {
    /** BERT's TensorFlow signature names to the names transfer4j's text encoders feed and read. */
    public static final Map<String, String> BERT_NAMES = Map.of(
            "input_ids", "input_ids",
            "input_mask", "attention_mask",
            "segment_ids", "token_type_ids",
            "sequence_output", "last_hidden_state",
            "pooled_output", "pooler_output");

    private TensorFlowImporter() {}

    /** The ONNX form of {@code model}'s signature, with inputs and outputs renamed by {@code names}. */
    public static ModelProto convert(SavedModelFile model, Map<String, String> names) {
        Map<String, TensorInfo> inputs = GraphConverter.renamed(model.signature().getInputsMap(), names);
        Map<String, TensorInfo> outputs = GraphConverter.renamed(model.signature().getOutputsMap(), names);
        if (outputs.isEmpty()) {
            throw new UserException("signature '" + model.signatureKey() + "' of " + model.dir() + " has no outputs; choose another signature");
        }
        GraphConverter c = new GraphConverter(model.metaGraph().getGraphDef(), model.variables());
        return c.convert(model.dir().getFileName().toString(), inputs, outputs, "tensorflow " + model.tensorflowVersion());
    }

    /** Number of trainable (floating-point) weights in an imported graph. */
    public static long parameters(ModelProto m) {
        long n = 0;
        for (TensorProto t : m.getGraph().getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                long c = 1;
                for (long d : t.getDimsList()) {
                    c *= d;
                }
                n += c;
            }
        }
        return n;
    }

    /** Streams the model to {@code file}; the caller writes into a temp location and renames. */
    public static void write(ModelProto m, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            m.writeTo(out);
        }
    }
}
