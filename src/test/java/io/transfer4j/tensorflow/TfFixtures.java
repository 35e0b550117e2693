package io.transfer4j.tensorflow;

import com.google.protobuf.ByteString;
import io.transfer4j.tensorflow.proto.Tf;
import io.transfer4j.tensorflow.proto.Tf.AttrValue;
import io.transfer4j.tensorflow.proto.Tf.DataType;
import io.transfer4j.tensorflow.proto.Tf.NodeDef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes small TensorFlow SavedModels for tests: a GraphDef built node by node, and its variables
 * as a tensor bundle in TensorFlow's on-disk format (a LevelDB-format table index with one data
 * block, uncompressed, and one data shard with masked CRC32Cs), as TensorFlow's BundleWriter does.
 */
final class TfFixtures {
    final Tf.GraphDef.Builder graph = Tf.GraphDef.newBuilder();
    final Map<String, float[]> variables = new TreeMap<>();
    final Map<String, long[]> shapes = new TreeMap<>();

    static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    static AttrValue i(long v) {
        return AttrValue.newBuilder().setI(v).build();
    }

    static AttrValue b(boolean v) {
        return AttrValue.newBuilder().setB(v).build();
    }

    static AttrValue ints(long... v) {
        AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
        for (long x : v) {
            l.addI(x);
        }
        return AttrValue.newBuilder().setList(l).build();
    }

    static Tf.TensorShapeProto shape(long... dims) {
        Tf.TensorShapeProto.Builder s = Tf.TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(Tf.TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }

    TfFixtures node(String name, String op, List<String> inputs, Object... attrs) {
        NodeDef.Builder n = NodeDef.newBuilder().setName(name).setOp(op).addAllInput(inputs);
        for (int k = 0; k < attrs.length; k += 2) {
            n.putAttr((String) attrs[k], (AttrValue) attrs[k + 1]);
        }
        graph.addNode(n);
        return this;
    }

    TfFixtures placeholder(String name, long... dims) {
        return node(name, "Placeholder", List.of(), "dtype", type(DataType.DT_INT32),
                "shape", AttrValue.newBuilder().setShape(shape(dims)).build());
    }

    TfFixtures intConst(String name, long[] dims, int... values) {
        Tf.TensorProto.Builder t = Tf.TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(dims));
        for (int v : values) {
            t.addIntVal(v);
        }
        return node(name, "Const", List.of(), "dtype", type(DataType.DT_INT32), "value", AttrValue.newBuilder().setTensor(t).build());
    }

    TfFixtures floatConst(String name, float value) {
        Tf.TensorProto t = Tf.TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape()).addFloatVal(value).build();
        return node(name, "Const", List.of(), "dtype", type(DataType.DT_FLOAT), "value", AttrValue.newBuilder().setTensor(t).build());
    }

    /** A resource variable (VarHandleOp) with its value in the checkpoint. */
    TfFixtures variable(String name, long[] dims, float[] value) {
        variables.put(name, value);
        shapes.put(name, dims);
        return node(name, "VarHandleOp", List.of(), "dtype", type(DataType.DT_FLOAT),
                "shape", AttrValue.newBuilder().setShape(shape(dims)).build(),
                "shared_name", AttrValue.newBuilder().setS(ByteString.copyFromUtf8(name)).build());
    }

    /** Writes saved_model.pb (tag serve, signature serving_default) and variables/ into {@code dir}. */
    Path write(Path dir, Map<String, String> inputs, Map<String, String> outputs) throws IOException {
        Tf.SignatureDef.Builder sig = Tf.SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict");
        inputs.forEach((k, v) -> sig.putInputs(k, Tf.TensorInfo.newBuilder().setName(v).setDtype(DataType.DT_INT32)
                .setTensorShape(shape(-1, -1)).build()));
        outputs.forEach((k, v) -> sig.putOutputs(k, Tf.TensorInfo.newBuilder().setName(v).setDtype(DataType.DT_FLOAT).build()));
        Tf.SavedModel sm = Tf.SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(Tf.MetaGraphDef.newBuilder()
                .setMetaInfoDef(Tf.MetaInfoDef.newBuilder().addTags("serve").setTensorflowVersion("test"))
                .setGraphDef(graph).putSignatureDef("serving_default", sig.build())).build();
        Files.createDirectories(dir.resolve("variables"));
        Files.write(dir.resolve("saved_model.pb"), sm.toByteArray());
        writeBundle(dir.resolve("variables"), variables, shapes);
        return dir;
    }

    static void writeBundle(Path variablesDir, Map<String, float[]> values, Map<String, long[]> shapes) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<String, byte[]> entries = new TreeMap<>();
        entries.put("", Tf.BundleHeaderProto.newBuilder().setNumShards(1).build().toByteArray());
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            ByteBuffer b = ByteBuffer.allocate(4 * e.getValue().length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(e.getValue());
            CRC32C crc = new CRC32C();
            crc.update(b.array());
            entries.put(e.getKey(), Tf.BundleEntryProto.newBuilder().setDtype(DataType.DT_FLOAT).setShape(shape(shapes.get(e.getKey())))
                    .setShardId(0).setOffset(data.size()).setSize(b.array().length).setCrc32C(TensorBundle.mask((int) crc.getValue()))
                    .build().toByteArray());
            data.write(b.array());
        }
        Files.write(variablesDir.resolve("variables.data-00000-of-00001"), data.toByteArray());
        Files.write(variablesDir.resolve("variables.index"), table(entries));
    }

    /** A LevelDB-format table: one data block (no prefix sharing), an index block, an empty metaindex, the footer. */
    static byte[] table(Map<String, byte[]> sorted) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] dataBlock = block(sorted);
        long dataOffset = out.size();
        out.write(dataBlock);
        out.write(new byte[5]); // trailer: type 0 (no compression) and an unchecked CRC
        String lastKey = sorted.isEmpty() ? "" : new ArrayList<>(sorted.keySet()).get(sorted.size() - 1);
        byte[] meta = block(Map.of());
        long metaOffset = out.size();
        out.write(meta);
        out.write(new byte[5]);
        ByteArrayOutputStream handle = new ByteArrayOutputStream();
        varint(handle, dataOffset);
        varint(handle, dataBlock.length);
        byte[] index = block(Map.of(lastKey, handle.toByteArray()));
        long indexOffset = out.size();
        out.write(index);
        out.write(new byte[5]);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        varint(footer, metaOffset);
        varint(footer, meta.length);
        varint(footer, indexOffset);
        varint(footer, index.length);
        while (footer.size() < 40) {
            footer.write(0);
        }
        out.write(footer.toByteArray());
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0xdb4775248b80fb57L).array());
        return out.toByteArray();
    }

    private static byte[] block(Map<String, byte[]> sorted) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : new TreeMap<>(sorted).entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            varint(b, 0);
            varint(b, k.length);
            varint(b, e.getValue().length);
            b.write(k);
            b.write(e.getValue());
        }
        ByteBuffer r = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1);
        b.write(r.array());
        return b.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
