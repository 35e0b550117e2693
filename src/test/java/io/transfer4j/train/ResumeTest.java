package io.transfer4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.nn.Parameter;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted and resumed from its checkpoint ends exactly where an uninterrupted run does. */
class ResumeTest {
    @TempDir Path dir;

    private static final int N = 300;
    private final int[] y = new int[N];
    private final float[][] x = blobs(y);
    private final int[] vy = new int[100];
    private final float[][] vx = blobs(vy);

    private static float[][] blobs(int[] y) {
        Random r = new Random(y.length);
        float[][] x = new float[y.length][8];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
            for (int d = 0; d < 8; d++) {
                x[i][d] = (float) (r.nextGaussian() + (d % 3 == y[i] ? 1.5 : 0));
            }
        }
        return x;
    }

    // MLP: dropout makes the run depend on the random generator too, not only on the data order
    private static final TrainConfig CFG = new TrainConfig(6, 32, 3e-3f, 1e-4f, 6, 11,
            Optimization.FINE_TUNING.toBuilder().accumulation(2).build());

    private List<float[]> train(Checkpoints ck) {
        try (Model m = Model.newInstance("r")) {
            m.setBlock(HeadType.MLP.build(3, 16));
            TrainingLoop.fit(m, new DenseRows(x), y, new DenseRows(vx), vy, CFG,
                    new TrainingLoop.Tuning(null, Strategy.of(Strategy.Kind.FULL), ck), "r", Progress.SILENT.start("", 0, ""));
            List<float[]> w = new ArrayList<>();
            for (Parameter p : m.getBlock().getParameters().values()) {
                w.add(p.getArray().toFloatArray());
            }
            return w;
        }
    }

    @Test
    void killedAndResumedEqualsUninterrupted() {
        List<float[]> straight = train(Checkpoints.NONE);
        Path ck = dir.resolve("ck");
        // 300 rows / 32 = 10 micro-batches = 5 updates per epoch; stop mid-epoch 2 (after a step-3 checkpoint)
        assertThrows(Checkpoints.Interrupted.class, () -> train(new Checkpoints(ck, 3, false, 7)));
        List<float[]> resumed = train(new Checkpoints(ck, 3, true, 0));
        assertEquals(straight.size(), resumed.size());
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i), resumed.get(i), 0f, "parameter " + i);
        }
        assertTrue(straight.stream().anyMatch(a -> a.length > 0));
    }

    @Test
    void resumingWithOtherSettingsIsRefused() {
        Path ck = dir.resolve("ck2");
        assertThrows(Checkpoints.Interrupted.class, () -> train(new Checkpoints(ck, 2, false, 3)));
        try (Model m = Model.newInstance("r")) {
            m.setBlock(HeadType.MLP.build(3, 16));
            UserException e = assertThrows(UserException.class, () -> TrainingLoop.fit(m, new DenseRows(x), y,
                    new DenseRows(vx), vy, CFG.toBuilder().learningRate(1e-2f).build(),
                    new TrainingLoop.Tuning(null, Strategy.of(Strategy.Kind.FULL), new Checkpoints(ck, 2, true, 0)), "r",
                    Progress.SILENT.start("", 0, "")));
            assertTrue(e.getMessage().contains("other data or settings"), e.getMessage());
        }
    }
}
