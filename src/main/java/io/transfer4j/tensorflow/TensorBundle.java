package io.transfer4j.tensorflow;

import com.google.protobuf.InvalidProtocolBufferException;
import io.transfer4j.tensorflow.proto.Tf.BundleEntryProto;
import io.transfer4j.tensorflow.proto.Tf.BundleHeaderProto;
import io.transfer4j.tensorflow.proto.Tf.DataType;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A TensorFlow checkpoint in the tensor-bundle format: {@code PREFIX.index} (a table from tensor
 * name to dtype, shape, shard, offset, size and a CRC32C) and {@code PREFIX.data-NNNNN-of-MMMMM}
 * shards holding the raw little-endian bytes. A tensor is read on demand and its checksum
 * verified, so a truncated or altered shard is named rather than loaded.
 */
public final class TensorBundle {
    private final Path prefix;
    private final int shards;
    private final Map<String, BundleEntryProto> entries = new LinkedHashMap<>();

    private TensorBundle(Path prefix, int shards) {
        this.prefix = prefix;
        this.shards = shards;
    }

    /** Opens {@code prefix.index}, e.g. {@code saved_model/variables/variables}. */
    public static TensorBundle open(Path prefix) {
        Path index = prefix.resolveSibling(prefix.getFileName() + ".index");
        if (!Files.isRegularFile(index)) {
            throw new UserException("TensorFlow checkpoint index " + index + " does not exist; a SavedModel keeps it in variables/");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(index);
        } catch (IOException e) {
            throw new UserException("cannot read " + index + ": " + e.getMessage());
        }
        Map<String, byte[]> table = SsTable.read(bytes, index.toString());
        try {
            BundleHeaderProto header = BundleHeaderProto.parseFrom(table.getOrDefault("", new byte[0]));
            if (header.getEndianness() != BundleHeaderProto.Endianness.LITTLE) {
                throw new UserException(index + " was written on a big-endian machine; re-save it on a little-endian one");
            }
            TensorBundle b = new TensorBundle(prefix, Math.max(1, header.getNumShards()));
            for (Map.Entry<String, byte[]> e : table.entrySet()) {
                if (!e.getKey().isEmpty()) {
                    b.entries.put(e.getKey(), BundleEntryProto.parseFrom(e.getValue()));
                }
            }
            return b;
        } catch (InvalidProtocolBufferException e) {
            throw new UserException(index + " holds a malformed entry (" + e.getMessage() + "); re-download or re-save the model");
        }
    }

    public Map<String, BundleEntryProto> entries() {
        return entries;
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** The tensor's bytes exactly as stored (little-endian), after checking its CRC32C. */
    public byte[] bytes(String name) {
        BundleEntryProto e = entries.get(name);
        if (e == null) {
            throw new UserException("the checkpoint " + prefix + " has no tensor '" + name + "'; the graph and its variables do not match");
        }
        if (e.getSlicesCount() > 0) {
            throw new UserException("tensor '" + name + "' in " + prefix + " is partitioned; partitioned variables are not supported: "
                    + "re-save the model without a partitioner");
        }
        if (e.getSize() > Integer.MAX_VALUE - 16) {
            throw new UserException("tensor '" + name + "' in " + prefix + " is over 2 GB; such tensors are not supported");
        }
        Path shard = prefix.resolveSibling(String.format("%s.data-%05d-of-%05d", prefix.getFileName(), e.getShardId(), shards));
        byte[] out = new byte[(int) e.getSize()];
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(out);
            long pos = e.getOffset();
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new UserException(shard + " ends before tensor '" + name + "' does; the file is truncated: re-download the model");
                }
                pos += n;
            }
        } catch (java.nio.file.NoSuchFileException ex) {
            throw new UserException("checkpoint shard " + shard + " is missing; restore it beside " + prefix + ".index");
        } catch (IOException ex) {
            throw new UserException("cannot read " + shard + ": " + ex.getMessage());
        }
        CRC32C crc = new CRC32C();
        crc.update(out);
        if (mask((int) crc.getValue()) != e.getCrc32C()) {
            throw new UserException("tensor '" + name + "' in " + shard + " fails its checksum; the file is corrupt: re-download the model");
        }
        return out;
    }

    public DataType dtype(String name) {
        return entries.get(name).getDtype();
    }

    public long[] shape(String name) {
        return entries.get(name).getShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
    }

    /** TensorFlow stores checksums masked (rotated and offset) so that a CRC of CRC-bearing data stays strong. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }
}
