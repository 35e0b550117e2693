package io.transfer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.transfer4j.TestData;
import io.transfer4j.util.Json;
import io.transfer4j.util.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** advise on real texts and the default encoder: the recommendation, its reasons, and its JSON. */
class AdviseTest {
    @TempDir Path dir;

    @Test
    void fewLabelsPerClassGetALinearProbeWithTheReason() throws Exception {
        var split = TestData.smallSplit();
        StringBuilder sb = new StringBuilder("text,label\n");
        int pos = 0;
        int neg = 0;
        for (int i = 0; i < split.train().size() && (pos < 12 || neg < 12); i++) {
            String label = split.train().labels().get(i);
            if (label.equals("positive") ? pos++ < 12 : neg++ < 12) {
                sb.append('"').append(split.train().texts().get(i).replace("\"", "\"\"")).append("\",").append(label).append('\n');
            }
        }
        Path data = Files.writeString(dir.resolve("few.csv"), sb.toString());
        Path json = dir.resolve("advice.json");
        CliTest.Outcome o = CliTest.run("advise", "--data", data.toString(), "--backbones", "bge-small-q", "--quiet",
                "--json", json.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("advice: --backbone bge-small-q") && o.out().contains("--strategy linear-probe"), o.out());
        assertTrue(o.out().contains("cut the backbone after an inner layer") || o.out().contains("keep every layer"), o.out());
        assertTrue(o.out().contains("the smallest class has 12 examples"), o.out());
        JsonNode a = Json.MAPPER.readTree(json.toFile());
        assertEquals("LINEAR_PROBE", a.get("strategy").asText());
        assertTrue(a.get("secondsPerExampleFullTuning").asDouble() > 0, "the fine-tuning cost was measured");
        assertEquals(6, a.get("layers").size(), "six layers of the best backbone were scored");
        String chosen = a.get("backbone").asText();
        assertTrue(chosen.equals("bge-small-q") || chosen.startsWith("bge-small-q@encoder.layer."), chosen);
    }

    @Test
    void budgetsReadLikePeopleWriteThem() {
        assertEquals(Duration.ofSeconds(90), AdviseCommand.parseBudget("90s"));
        assertEquals(Duration.ofMinutes(10), AdviseCommand.parseBudget("10m"));
        assertEquals(Duration.ofMinutes(90), AdviseCommand.parseBudget("1.5h"));
        assertThrows(UserException.class, () -> AdviseCommand.parseBudget("soon"));
    }
}
