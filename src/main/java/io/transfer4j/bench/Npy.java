package io.transfer4j.bench;

import io.transfer4j.util.AtomicDirectory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * NumPy's .npy format (version 1.0), written so that a benchmark's reference in Python reads the
 * very features transfer4j used: little-endian float32 matrices and int32 vectors.
 */
final class Npy {
    private Npy() {}

    static void write(Path file, float[][] rows) {
        int n = rows.length;
        int d = n == 0 ? 0 : rows[0].length;
        ByteBuffer b = start("<f4", "(" + n + ", " + d + ")", 4L * n * d);
        for (float[] r : rows) {
            for (float v : r) {
                b.putFloat(v);
            }
        }
        AtomicDirectory.writeFile(file, b.array());
    }

    static void write(Path file, int[] values) {
        ByteBuffer b = start("<i4", "(" + values.length + ",)", 4L * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        AtomicDirectory.writeFile(file, b.array());
    }

    /** The magic, the version, and the header dict padded with spaces so that the data starts on a 64-byte boundary. */
    private static ByteBuffer start(String descr, String shape, long dataBytes) {
        StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }");
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(10 + header.length + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length).put(header);
        return b;
    }
}
