package io.transfer4j.tensorflow;

import io.transfer4j.util.UserException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the sorted string table TensorFlow writes as a checkpoint's {@code .index} file (LevelDB's
 * table format: data blocks of prefix-compressed keys, an index block pointing at them, a 48-byte
 * footer ending in a magic number). Only uncompressed blocks occur in tensor bundles; a
 * compressed one is refused by name rather than misread.
 */
final class SsTable {
    private static final long MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER = 48;
    private static final int TRAILER = 5;

    private SsTable() {}

    /** Every key and its value, in key order. */
    static Map<String, byte[]> read(byte[] file, String what) {
        if (file.length < FOOTER) {
            throw corrupt(what, "shorter than a table footer");
        }
        ByteBuffer footer = ByteBuffer.wrap(file, file.length - FOOTER, FOOTER).order(ByteOrder.LITTLE_ENDIAN);
        long magic = ByteBuffer.wrap(file, file.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (magic != MAGIC) {
            throw corrupt(what, "no table magic number at its end");
        }
        readVarint(footer); // the metaindex block: bundles keep nothing there
        readVarint(footer);
        long indexOffset = readVarint(footer);
        long indexSize = readVarint(footer);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (byte[] handle : block(file, indexOffset, indexSize, what).values()) {
            ByteBuffer h = ByteBuffer.wrap(handle);
            long off = readVarint(h);
            long size = readVarint(h);
            block(file, off, size, what).forEach((k, v) -> out.put(k, v));
        }
        return out;
    }

    private static Map<String, byte[]> block(byte[] file, long offset, long size, String what) {
        if (offset < 0 || size < 4 || offset + size + TRAILER > file.length) {
            throw corrupt(what, "a block lies outside the file");
        }
        int type = file[(int) (offset + size)];
        if (type != 0) {
            throw new UserException(what + " holds a compressed block (type " + type
                    + "); only uncompressed TensorFlow checkpoints are read: re-save it with TensorFlow's default settings");
        }
        ByteBuffer b = ByteBuffer.wrap(file, (int) offset, (int) size).order(ByteOrder.LITTLE_ENDIAN);
        int end = (int) (offset + size);
        int restarts = b.getInt(end - 4);
        int dataEnd = end - 4 - 4 * restarts;
        if (restarts < 0 || dataEnd < offset) {
            throw corrupt(what, "a block's restart array is malformed");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] key = new byte[0];
        while (b.position() < dataEnd) {
            int shared = (int) readVarint(b);
            int nonShared = (int) readVarint(b);
            int valueLength = (int) readVarint(b);
            if (shared > key.length || nonShared < 0 || valueLength < 0 || b.position() + nonShared + valueLength > dataEnd) {
                throw corrupt(what, "a block entry runs past its block");
            }
            byte[] next = new byte[shared + nonShared];
            System.arraycopy(key, 0, next, 0, shared);
            b.get(next, shared, nonShared);
            byte[] value = new byte[valueLength];
            b.get(value);
            key = next;
            out.put(new String(key, StandardCharsets.UTF_8), value);
        }
        return out;
    }

    static long readVarint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!b.hasRemaining()) {
                throw new UserException("a TensorFlow table ends inside a number; the file is truncated");
            }
            int x = b.get() & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new UserException("a TensorFlow table holds a malformed number; the file is corrupt");
    }

    private static UserException corrupt(String what, String why) {
        return new UserException(what + " is not a TensorFlow checkpoint index (" + why + "); re-download or re-save the model");
    }
}
