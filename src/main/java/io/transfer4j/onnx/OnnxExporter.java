package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.protobuf.ByteString;
import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.util.AtomicDirectory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes an imported (and possibly fine-tuned) graph back to one ONNX file: the same nodes, with
 * every float initializer holding the parameter's current values. A quantised source is written as
 * the float graph it was imported as. Weights are stored inline, so the file stands alone.
 */
public final class OnnxExporter {
    private OnnxExporter() {}

    public static ModelProto toModel(OnnxBlock block) {
        OnnxFile f = block.source();
        GraphProto g = f.model().getGraph();
        Map<String, NDArray> values = block.weightValues();
        GraphProto.Builder out = g.toBuilder().clearInitializer();
        for (TensorProto t : g.getInitializerList()) {
            NDArray v = values.get(t.getName());
            if (v == null) {
                // constants travel as they are, with external data pulled inline
                out.addInitializer(t.getDataLocation() == TensorProto.DataLocation.EXTERNAL
                        ? t.toBuilder().clearExternalData().clearDataLocation().setRawData(ByteString.copyFrom(f.rawData(t))).build()
                        : t);
                continue;
            }
            float[] data = v.toType(DataType.FLOAT32, false).toFloatArray();
            ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data);
            out.addInitializer(t.toBuilder().clearFloatData().clearExternalData().clearDataLocation()
                    .setRawData(ByteString.copyFrom(b.array())).build());
        }
        return f.model().toBuilder().setProducerName("transfer4j").setProducerVersion("0.1").setGraph(out).build();
    }

    public static void export(OnnxBlock block, Path file) {
        AtomicDirectory.writeFile(file, toModel(block).toByteArray());
    }
}
