package io.transfer4j.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    @TempDir Path dir;

    @Test
    void vectorsSurviveReopeningAndKeysSeparateConfigurations() {
        EmbeddingCache c = EmbeddingCache.open(dir, "sha", 128, 1, "", Pooling.MEAN, 3);
        c.put(EmbeddingCache.keyOf("hello"), new float[] {1, 2, 3});
        c.flush();
        EmbeddingCache again = EmbeddingCache.open(dir, "sha", 128, 1, "", Pooling.MEAN, 3);
        assertArrayEquals(new float[] {1, 2, 3}, again.get(EmbeddingCache.keyOf("hello")));
        assertNull(again.get(EmbeddingCache.keyOf("other")));
        EmbeddingCache otherLength = EmbeddingCache.open(dir, "sha", 256, 1, "", Pooling.MEAN, 3);
        assertNull(otherLength.get(EmbeddingCache.keyOf("hello")));
        assertNotEquals(c.file(), otherLength.file());
    }

    @Test
    void aDamagedFileIsIgnoredNotTrusted() throws IOException {
        EmbeddingCache c = EmbeddingCache.open(dir, "sha", 128, 1, "", Pooling.MEAN, 3);
        c.put(EmbeddingCache.keyOf("hello"), new float[] {1, 2, 3});
        c.flush();
        byte[] b = Files.readAllBytes(c.file());
        Files.write(c.file(), java.util.Arrays.copyOf(b, b.length - 5));
        assertEquals(0, EmbeddingCache.open(dir, "sha", 128, 1, "", Pooling.MEAN, 3).size());
    }
}
