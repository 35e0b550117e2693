package io.transfer4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The optimizer's arithmetic against hand-computed updates. */
class UpdaterTest {
    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        m.close();
    }

    private TunedParameter param(String name, float[] values, Shape shape, TunedParameter.Role role) {
        NDArray a = m.create(values, shape);
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(a).build();
        a.setRequiresGradient(true);
        return new TunedParameter(name, p, "g", 0, role);
    }

    /** Loss Σ c·w, so the gradient of w is exactly c. */
    private void gradient(TunedParameter t, float[] c) {
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray w = t.parameter().getArray();
            NDArray l = w.mul(s.create(c, w.getShape())).sum();
            l.attach(s);
            gc.backward(l);
        }
    }

    private float[] step(Updater u, TunedParameter t, double lr) {
        try (NDManager s = m.newSubManager()) {
            u.step(Map.of(t.key(), t), Map.of(t.key(), 1f), lr, s);
        }
        return t.parameter().getArray().toFloatArray();
    }

    @Test
    void adamwFirstStepMovesByTheRateAgainstTheGradientSignAndDecaysMatricesOnly() {
        Updater u = new Updater(Optimization.FINE_TUNING.toBuilder().clipNorm(0).build(), m);
        TunedParameter mat = param("w", new float[] {1, -2, 3, 4}, new Shape(2, 2), TunedParameter.Role.BODY);
        gradient(mat, new float[] {0.5f, -3, 2, 0});
        float[] after = step(u, mat, 0.1);
        // decoupled decay w·(1 - lr·wd), then -lr·m̂/(sqrt(v̂)+eps) = -lr·sign(g) on the first step
        float d = 1 - 0.1f * 0.01f;
        assertArrayEquals(new float[] {1 * d - 0.1f, -2 * d + 0.1f, 3 * d - 0.1f, 4 * d}, after, 1e-5f);
        TunedParameter vec = param("b", new float[] {1, -2}, new Shape(2), TunedParameter.Role.BODY);
        gradient(vec, new float[] {1, 1});
        assertArrayEquals(new float[] {0.9f, -2.1f}, step(new Updater(Optimization.FINE_TUNING, m), vec, 0.1), 1e-5f);
    }

    /** Three clipped AdamW steps against PyTorch's formula written out in doubles. */
    @Test
    void adamwOverSeveralClippedStepsFollowsPytorchsFormula() {
        Updater u = new Updater(Optimization.FINE_TUNING.toBuilder().clipNorm(1f).build(), m);
        TunedParameter mat = param("w", new float[] {1, -2, 3, 4}, new Shape(2, 2), TunedParameter.Role.BODY);
        double[] w = {1, -2, 3, 4};
        double[] mo = new double[4];
        double[] v = new double[4];
        float[][] grads = {{0.5f, -3, 2, 0}, {0.1f, 0.2f, -0.3f, 0.4f}, {2, 2, -1, 0.5f}};
        double lr = 0.05;
        double wd = 0.01;
        for (int t = 1; t <= grads.length; t++) {
            gradient(mat, grads[t - 1]);
            float[] got = step(u, mat, lr);
            double norm = 0;
            for (float g : grads[t - 1]) {
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            double clip = norm > 1 ? 1 / (norm + 1e-6) : 1;
            for (int i = 0; i < 4; i++) {
                double g = grads[t - 1][i] * clip;
                w[i] *= 1 - lr * wd;
                mo[i] = 0.9 * mo[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                w[i] -= lr / (1 - Math.pow(0.9, t)) * mo[i] / denom;
                assertEquals(w[i], got[i], 1e-5, "step " + t + ", element " + i);
            }
        }
    }

    @Test
    void sgdWithMomentumAccumulatesVelocity() {
        Updater u = new Updater(Optimization.PLAIN_ADAM.toBuilder().kind(Optimization.Kind.SGD).momentum(0.9f).build(), m);
        TunedParameter w = param("w", new float[] {1, 1}, new Shape(2), TunedParameter.Role.HEAD);
        gradient(w, new float[] {1, -2});
        assertArrayEquals(new float[] {0.9f, 1.2f}, step(u, w, 0.1), 1e-6f);
        gradient(w, new float[] {1, -2});
        // velocity 0.9·g + g = 1.9·g
        assertArrayEquals(new float[] {0.9f - 0.19f, 1.2f + 0.38f}, step(u, w, 0.1), 1e-6f);
    }

    @Test
    void clippingScalesTheGlobalNormDown() {
        Updater u = new Updater(Optimization.PLAIN_ADAM.toBuilder().kind(Optimization.Kind.SGD).momentum(0).clipNorm(1).build(), m);
        TunedParameter w = param("w", new float[] {0, 0}, new Shape(2), TunedParameter.Role.HEAD);
        gradient(w, new float[] {3, 4}); // norm 5
        assertArrayEquals(new float[] {-0.6f, -0.8f}, step(u, w, 1), 1e-5f);
    }

    @Test
    void l2spPullsTowardsThePretrainedValue() {
        Updater u = new Updater(Optimization.PLAIN_ADAM.toBuilder().kind(Optimization.Kind.SGD).momentum(0).l2sp(1).build(), m);
        TunedParameter w = param("w", new float[] {2, 2}, new Shape(2), TunedParameter.Role.BODY);
        u.anchor(java.util.List.of(w));
        gradient(w, new float[] {1, 0});
        assertArrayEquals(new float[] {1.5f, 2f}, step(u, w, 0.5), 1e-6f); // at the anchor: no pull yet
        gradient(w, new float[] {0, 0});
        // pull 1·(w - w0) = (-0.5, 0)
        assertArrayEquals(new float[] {1.75f, 2f}, step(u, w, 0.5), 1e-6f);
    }

    @Test
    void schedulesWarmUpThenDecay() {
        Optimization.Schedule lin = Optimization.Schedule.LINEAR;
        assertEquals(1 / 11.0, lin.factor(0, 100, 0.1), 1e-9);
        assertEquals(1.0, lin.factor(10, 100, 0.1), 1e-9);
        assertEquals(0.5, lin.factor(55, 100, 0.1), 1e-9);
        assertEquals(0.5, Optimization.Schedule.COSINE.factor(50, 100, 0), 1e-9);
        assertEquals(1.0, Optimization.Schedule.CONSTANT.factor(99, 100, 0), 1e-9);
    }

    @Test
    void labelSmoothingSpreadsTheTarget() {
        NDArray logits = m.create(new float[] {2, 0}, new Shape(1, 2));
        double p0 = Math.exp(2) / (Math.exp(2) + 1);
        double expected = -(0.95 * Math.log(p0) + 0.05 * Math.log(1 - p0));
        assertEquals(expected, TrainingLoop.crossEntropy(m, logits, new int[] {0}, new int[] {0}, 0.1f, null).getFloat(), 1e-5);
        assertEquals(-Math.log(p0), TrainingLoop.crossEntropy(m, logits, new int[] {0}, new int[] {0}, 0f, null).getFloat(), 1e-5);
    }
    /**
     * A skipped step zeroes a NaN gradient in libtorch's own memory. Regression: clearing it with
     * {@code NDArray.set(float[])} re-pointed the gradient at a Java buffer that was freed once the
     * scratch manager closed, so later backward passes accumulated into freed heap (glibc heap
     * corruption and a SIGSEGV in autograd on IMDB). Here freed memory is reused by buffers full of 7s.
     */
    @Test
    void clearingANonFiniteGradientKeepsItInNativeMemory() throws InterruptedException {
        int n = 1024;
        TunedParameter w = param("w", new float[n], new Shape(n), TunedParameter.Role.HEAD);
        float[] nan = new float[n];
        java.util.Arrays.fill(nan, Float.NaN);
        gradient(w, nan);
        Updater u = new Updater(Optimization.FINE_TUNING, m);
        try (NDManager s = m.newSubManager()) {
            u.clear(Map.of(w.key(), w), Map.of(w.key(), 1f), s);
        }
        java.util.List<java.nio.ByteBuffer> reuse = new java.util.ArrayList<>();
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 200; i++) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(n * 4).order(java.nio.ByteOrder.nativeOrder());
                while (b.hasRemaining()) {
                    b.putFloat(7f);
                }
                reuse.add(b);
            }
        }
        float[] one = new float[n];
        java.util.Arrays.fill(one, 1f);
        gradient(w, one);
        assertArrayEquals(one, w.parameter().getArray().getGradient().toFloatArray(), 0f,
                "the cleared gradient must be zeros in libtorch memory, so one more backward gives exactly 1");
        assertEquals(200 * 5, reuse.size());
    }
}
