package io.transfer4j.util;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void theRateAndTheMessageAreSeparateWords() {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            try (Progress.Task t = Progress.console().start("fine-tune", 10, "steps")) {
                t.step(4);
                t.message("val loss 0.6931 acc 0.500");
                t.step(6);
            }
        } finally {
            System.setErr(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("val loss 0.6931"), out);
        assertFalse(out.contains("/sval"), out);
        assertTrue(out.matches("(?s).*steps/s +val loss.*"), out);
    }
}
