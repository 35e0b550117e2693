package io.transfer4j.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Split;
import io.transfer4j.data.TextDataset;
import io.transfer4j.model.TextClassifier;
import io.transfer4j.run.RunConfig;
import io.transfer4j.train.FitResult;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's own logic on a modality whose models are known in advance: each strategy's
 * model is right on a fixed share of rows (its "skill") and reports a fixed validation
 * accuracy, so what the pipeline keeps, closes, repeats and audits can be checked exactly.
 */
class PipelineTest {
    /** Predicts the true class for the first {@code skill} share of each split's rows (by text id), else the other class. */
    static final class Known implements TextClassifier {
        final double skill;
        boolean closed;

        Known(double skill) {
            this.skill = skill;
        }

        @Override
        public LabelMap labels() {
            return new LabelMap(List.of("a", "b"));
        }

        @Override
        public float[][] probabilities(List<String> texts, Progress progress) {
            float[][] p = new float[texts.size()][];
            for (int i = 0; i < p.length; i++) {
                String[] parts = texts.get(i).split(":");
                int truth = parts[0].equals("a") ? 0 : 1;
                boolean right = Integer.parseInt(parts[1]) % 100 < 100 * skill;
                int k = right ? truth : 1 - truth;
                p[i] = k == 0 ? new float[] {0.9f, 0.1f} : new float[] {0.1f, 0.9f};
            }
            return p;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** strategy id -> (skill on test, validation accuracy). */
    static final class Fake implements Modality<TextDataset, TextClassifier, RunConfig> {
        final Map<String, double[]> strategies;
        final double scratchSkill;
        final List<Known> made = new ArrayList<>();
        final List<Long> seeds = new ArrayList<>();
        boolean failScratch;

        Fake(Map<String, double[]> strategies, double scratchSkill) {
            this.strategies = strategies;
            this.scratchSkill = scratchSkill;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Trained<TextClassifier> transfer(RunConfig config, Split<TextDataset> split, LabelMap labels, Context context) {
            double[] s = strategies.get(config.strategy().kind().id());
            Known k = new Known(s[0]);
            made.add(k);
            seeds.add(config.seed());
            return new Trained<>(k, "transfer:fake+" + config.strategy().kind().id(), fit(s[1]), 1, null, null, null, List.of());
        }

        @Override
        public Trained<TextClassifier> scratch(RunConfig config, Split<TextDataset> split, LabelMap labels, Context context) {
            if (failScratch) {
                throw new io.transfer4j.util.UserException("scratch failed");
            }
            return new Trained<>(new Known(scratchSkill), "scratch:fake", fit(0.5), 1, null, null, null, List.of());
        }

        @Override
        public int defaultSeeds(RunConfig config) {
            return 2;
        }

        @Override
        public float[][] frozenFeatures(RunConfig config, TextDataset rows, Progress progress) {
            throw new UnsupportedOperationException("not scored here");
        }

        @Override
        public TextClassifier frozenModel(RunConfig config, io.transfer4j.train.Standardizer standardizer, ai.djl.Model head,
                io.transfer4j.data.LabelMap labels, io.transfer4j.util.WorkDirectory owned) {
            throw new UnsupportedOperationException("no few-shot heads here");
        }

        @Override
        public void save(io.transfer4j.run.TransferRun<TextClassifier, RunConfig> run, java.nio.file.Path dir, byte[] configYaml) {
            throw new UnsupportedOperationException("not saved here");
        }

        @Override
        public List<Strategy> autoCandidates(RunConfig config) {
            return List.of(Strategy.of(Strategy.Kind.LINEAR_PROBE), Strategy.of(Strategy.Kind.PARTIAL), Strategy.of(Strategy.Kind.FULL));
        }
    }

    static FitResult fit(double validationAccuracy) {
        return new FitResult(0, 1, 1, 1 - validationAccuracy, validationAccuracy, List.of(), 1, 0);
    }

    /** 400 rows, half per class, each text "label:index"; groups alternate "x"/"y". */
    static TextDataset data() {
        List<String> t = new ArrayList<>();
        List<String> l = new ArrayList<>();
        List<String> g = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String label = i % 2 == 0 ? "a" : "b";
            t.add(label + ":" + i);
            l.add(label);
            g.add(i % 4 < 2 ? "x" : "y");
        }
        return new TextDataset("fake", t, l, g);
    }

    @Test
    void autoKeepsTheBestOnValidationClosesTheRestAndRecordsWhy() {
        Fake m = new Fake(Map.of("linear-probe", new double[] {0.6, 0.70}, "partial", new double[] {0.9, 0.80},
                "full", new double[] {0.8, 0.80}), 0.5);
        try (var run = new Pipeline<>(m, RunConfig.defaults().withStrategy(Strategy.of(Strategy.Kind.AUTO))).seeds(1).run(data())) {
            assertEquals("transfer:fake+partial", run.transfer().name(), "best validation; full ties it and comes later");
            assertEquals("partial", run.choice().chosen());
            assertEquals(List.of("linear-probe", "partial", "full"), run.choice().candidates().stream().map(c -> c.strategy()).toList());
            assertTrue(m.made.get(0).closed && !m.made.get(1).closed && m.made.get(2).closed, "only the kept model stays open");
            // partial's skill 0.9 on the test rows, scratch's 0.5, both judged on the same rows
            assertEquals(0.9, run.transfer().test().accuracy(), 0.1);
            assertEquals(run.testSize(), run.paired().examples());
            assertTrue(run.paired().gain() > 0.3);
        }
    }

    @Test
    void whenAutoKeepsTheProbeTheAuditDoesNotTrainItTwice() {
        Fake m = new Fake(Map.of("linear-probe", new double[] {0.8, 0.9}, "partial", new double[] {0.7, 0.8},
                "full", new double[] {0.7, 0.7}), 0.5);
        try (var run = new Pipeline<>(m, RunConfig.defaults().withStrategy(Strategy.of(Strategy.Kind.AUTO))).seeds(1).run(data())) {
            assertEquals("linear-probe", run.choice().chosen());
            assertEquals(List.of("scratch:fake", "transfer:fake+linear-probe"), run.bias().models().stream().map(a -> a.model()).toList());
            assertEquals(3, m.made.size(), "three candidates, no extra probe for the audit");
        }
    }

    @Test
    void theGuardRepeatsOverTheModalitysDefaultSeedsAndTheAuditComparesPerGroup() {
        Fake m = new Fake(Map.of("full", new double[] {0.9, 0.9}, "linear-probe", new double[] {0.7, 0.7}), 0.6);
        try (var run = new Pipeline<>(m, RunConfig.defaults().withSeed(7).withStrategy(Strategy.of(Strategy.Kind.FULL))).run(data())) {
            assertEquals(List.of(7L, 8L), run.guard().seeds(), "the modality's default of 2 seeds, from the configured one");
            assertNotNull(run.bias(), "grouped test rows are audited");
            assertEquals(List.of("scratch:fake", "transfer:fake+linear-probe", "transfer:fake+full"),
                    run.bias().models().stream().map(a -> a.model()).toList(), "a fine-tuning run is audited with the probe beside it");
        }
        assertTrue(m.seeds.containsAll(List.of(7L, 8L)));
        assertTrue(m.made.stream().filter(k -> k.skill == 0.7).allMatch(k -> k.closed), "the audit's probe is closed");
    }

    @Test
    void aRunThatFailsAfterTrainingFreesTheTransferredModel() {
        Fake m = new Fake(Map.of("linear-probe", new double[] {0.7, 0.7}), 0.5);
        m.failScratch = true;
        assertThrows(io.transfer4j.util.UserException.class, () -> new Pipeline<>(m, RunConfig.defaults()).seeds(1).run(data()));
        assertTrue(m.made.get(0).closed);
        try (var run = new Pipeline<>(new Fake(Map.of("linear-probe", new double[] {0.7, 0.7}), 0.5), RunConfig.defaults()).seeds(1)
                .run(data().subset(java.util.stream.IntStream.range(0, 100).toArray(), ""))) {
            assertNull(run.guard(), "one seed: the verdict rests on the paired test");
        }
    }
}
