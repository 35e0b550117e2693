package io.transfer4j.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.util.UserException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBundleTest {
    @TempDir Path dir;

    private Path bundle() throws Exception {
        Map<String, float[]> v = new TreeMap<>();
        Map<String, long[]> s = new TreeMap<>();
        v.put("bert/embeddings/word_embeddings", new float[] {1, 2, 3, 4, 5, 6});
        s.put("bert/embeddings/word_embeddings", new long[] {3, 2});
        v.put("bert/pooler/dense/bias", new float[] {-0.5f, 0.25f});
        s.put("bert/pooler/dense/bias", new long[] {2});
        TfFixtures.writeBundle(dir, v, s);
        return dir.resolve("variables");
    }

    @Test
    void readsEntriesShapesAndBytesWithTheirChecksums() throws Exception {
        TensorBundle b = TensorBundle.open(bundle());
        assertEquals(2, b.entries().size());
        assertArrayEquals(new long[] {3, 2}, b.shape("bert/embeddings/word_embeddings"));
        float[] got = new float[2];
        ByteBuffer.wrap(b.bytes("bert/pooler/dense/bias")).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertArrayEquals(new float[] {-0.5f, 0.25f}, got);
    }

    @Test
    void aCorruptShardFailsItsChecksumByName() throws Exception {
        Path prefix = bundle();
        Path shard = dir.resolve("variables.data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[5] ^= 1;
        Files.write(shard, bytes);
        TensorBundle b = TensorBundle.open(prefix);
        UserException e = assertThrows(UserException.class, () -> b.bytes("bert/embeddings/word_embeddings"));
        assertTrue(e.getMessage().contains("fails its checksum"), e.getMessage());
    }

    @Test
    void aTruncatedOrForeignIndexIsRefused() throws Exception {
        Path prefix = bundle();
        Path index = dir.resolve("variables.index");
        byte[] bytes = Files.readAllBytes(index);
        Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        UserException e = assertThrows(UserException.class, () -> TensorBundle.open(prefix));
        assertTrue(e.getMessage().contains("not a TensorFlow checkpoint index"), e.getMessage());
        Files.delete(dir.resolve("variables.data-00000-of-00001"));
        Files.write(index, bytes);
        UserException missing = assertThrows(UserException.class, () -> TensorBundle.open(prefix).bytes("bert/pooler/dense/bias"));
        assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
    }
}
