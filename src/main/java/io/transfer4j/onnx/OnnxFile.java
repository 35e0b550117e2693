package io.transfer4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.onnx.proto.Onnx.StringStringEntryProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an ONNX file into its protobuf form. Weights kept as external data (files next to the
 * model, named by {@code location}) are read on demand by {@link #rawData}; a location that would
 * leave the model's folder is refused, so a crafted model cannot read arbitrary files.
 */
public final class OnnxFile {
    private final Path path;
    private final ModelProto model;

    private OnnxFile(Path path, ModelProto model) {
        this.path = path;
        this.model = model;
    }

    public static OnnxFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new UserException("ONNX file " + path + " does not exist; check the path");
        }
        try (InputStream in = Files.newInputStream(path)) {
            CodedInputStream cis = CodedInputStream.newInstance(in);
            cis.setSizeLimit(Integer.MAX_VALUE);
            ModelProto m = ModelProto.parseFrom(cis);
            if (!m.hasGraph() || m.getGraph().getNodeCount() == 0) {
                throw new UserException(path + " holds no ONNX graph; it is not an ONNX model file");
            }
            return new OnnxFile(path, m);
        } catch (InvalidProtocolBufferException e) {
            throw new UserException(path + " is not a valid ONNX file (" + e.getMessage() + "); re-export or re-download it");
        } catch (IOException e) {
            throw new UserException("cannot read " + path + ": " + e.getMessage());
        }
    }

    /** The same file location (for external data) with a rewritten graph. */
    public OnnxFile withModel(ModelProto m) {
        return new OnnxFile(path, m);
    }

    public Path path() {
        return path;
    }

    public ModelProto model() {
        return model;
    }

    /** Opset version of the default ("" or "ai.onnx") domain. */
    public long opset() {
        return model.getOpsetImportList().stream()
                .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(o -> o.getVersion()).findFirst().orElse(0);
    }

    /** The tensor's bytes in ONNX's little-endian layout, from raw_data or the external file. */
    public byte[] rawData(TensorProto t) {
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
            return t.getRawData().toByteArray();
        }
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> { }
            }
        }
        if (location == null) {
            throw new UserException("tensor " + t.getName() + " in " + path + " is external but names no file");
        }
        Path dir = path.toAbsolutePath().getParent().normalize();
        Path file = dir.resolve(location).normalize();
        if (!file.startsWith(dir)) {
            throw new UserException("tensor " + t.getName() + " points outside the model's folder (" + location
                    + "); refusing to read it");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserException("external data " + file + " of tensor " + t.getName()
                    + " is missing; keep the weight files next to " + path.getFileName());
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long n = length >= 0 ? length : raf.length() - offset;
            if (offset + n > raf.length() || n > Integer.MAX_VALUE) {
                throw new UserException("external data of tensor " + t.getName() + " exceeds " + file + "; the file is truncated");
            }
            byte[] b = new byte[(int) n];
            raf.seek(offset);
            raf.readFully(b);
            return b;
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
