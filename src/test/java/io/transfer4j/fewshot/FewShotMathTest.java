package io.transfer4j.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import io.transfer4j.train.DenseRows;
import io.transfer4j.train.Inference;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The few-shot maths on small made-up data, where the right answer is known by construction. */
class FewShotMathTest {
    private static float[][] gaussian(Random r, int n, float[] centre, float sd) {
        float[][] x = new float[n][centre.length];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < centre.length; d++) {
                x[i][d] = centre[d] + (float) r.nextGaussian() * sd;
            }
        }
        return x;
    }

    private static float[][] concat(float[][]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(float[][]::new);
    }

    @Test
    void euclideanPrototypesAreTheNearestMeanAndTheirSoftmaxIsTheDistances() {
        Random r = new Random(1);
        float[][] x = new float[12][5];
        int[] y = new int[12];
        for (int i = 0; i < 12; i++) {
            y[i] = i % 3;
            for (int d = 0; d < 5; d++) {
                x[i][d] = (float) r.nextGaussian() + 2 * y[i] * (d == y[i] ? 1 : 0);
            }
        }
        Prototypes p = new Prototypes(Metric.EUCLIDEAN, 0.5f, 0);
        ShotHead head = p.fit(x, y, 3, null);
        double[][] mean = new double[3][5];
        for (int i = 0; i < 12; i++) {
            for (int d = 0; d < 5; d++) {
                mean[y[i]][d] += x[i][d] / 4.0;
            }
        }
        float[][] q = gaussian(r, 20, new float[5], 2f);
        float[][] logits = head.logits(q);
        for (int i = 0; i < q.length; i++) {
            double[] dist = new double[3];
            for (int c = 0; c < 3; c++) {
                for (int d = 0; d < 5; d++) {
                    dist[c] += (q[i][d] - mean[c][d]) * (q[i][d] - mean[c][d]);
                }
            }
            // differences of logits = differences of -distance / (T s), for every pair of classes
            double ratio = (logits[i][0] - logits[i][1]) / (dist[1] - dist[0]);
            double ratio2 = (logits[i][0] - logits[i][2]) / (dist[2] - dist[0]);
            assertEquals(ratio, ratio2, 1e-3 * Math.abs(ratio));
            assertTrue(ratio > 0);
            int nearest = dist[0] <= dist[1] && dist[0] <= dist[2] ? 0 : dist[1] <= dist[2] ? 1 : 2;
            assertEquals(nearest, head.predict(new float[][] {q[i]})[0]);
        }
    }

    @Test
    void cosinePrototypesIgnoreScaleAndTheBlockAgreesWithTheArrays() {
        Random r = new Random(2);
        float[][] x = concat(gaussian(r, 4, new float[] {3, 0, 0}, 0.3f), gaussian(r, 4, new float[] {0, 3, 0}, 0.3f));
        int[] y = {0, 0, 0, 0, 1, 1, 1, 1};
        ShotHead head = new Prototypes(Metric.COSINE, 0.1f, 0).fit(x, y, 2, null);
        float[][] q = {{1, 0.2f, 0}, {100, 20, 0}, {0.1f, 1, 0}};
        assertArrayEquals(head.predict(q), new int[] {0, 0, 1});
        float[][] l = head.logits(q);
        assertArrayEquals(l[0], l[1], 1e-4f); // the same direction, a hundred times longer
        try (Model m = head.toModel()) {
            float[][] p = Inference.probabilities(m, new DenseRows(head.standardizer().apply(q)));
            for (int i = 0; i < q.length; i++) {
                double[] expected = Prototypes.softmax(l[i]);
                for (int c = 0; c < 2; c++) {
                    assertEquals(expected[c], p[i][c], 1e-5);
                }
            }
        }
    }

    @Test
    void transductiveRefinementPullsPrototypesToTheQueriesClusters() {
        Random r = new Random(3);
        // shots sit at the near edge of each cluster; the unlabelled queries show where the clusters really are
        float[][] shots = {{0.4f, 0}, {-0.4f, 0}};
        int[] y = {0, 1};
        float[][] queries = concat(gaussian(r, 200, new float[] {2, 1.5f}, 0.4f), gaussian(r, 200, new float[] {-2, -1.5f}, 0.4f));
        Prototypes plain = new Prototypes(Metric.EUCLIDEAN, 1f, 0);
        // just left of the y axis, nearer shot 1, but in cluster 0's reach once the prototypes have moved
        int[] before = plain.fit(shots, y, 2, null).predict(new float[][] {{-0.2f, 2.5f}, {0.2f, -2.5f}});
        int[] after = plain.withRefinements(5).fit(shots, y, 2, queries).predict(new float[][] {{-0.2f, 2.5f}, {0.2f, -2.5f}});
        assertArrayEquals(new int[] {1, 0}, before);
        assertArrayEquals(new int[] {0, 1}, after);
        // without refinement steps the queries change nothing
        assertArrayEquals(before, plain.fit(shots, y, 2, queries).predict(new float[][] {{-0.2f, 2.5f}, {0.2f, -2.5f}}));
    }

    @Test
    void foldsLeaveOutOneShotOfEveryClassAndNeedTwo() {
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 2};
        ShotFolds f = ShotFolds.of(y, 3, 7);
        assertEquals(4, f.count());
        assertEquals(0, ShotFolds.of(new int[] {0, 1, 1}, 2, 7).count());
        // a learner that records what it was fitted on sees every row but one per class (two for the class with five)
        Set<String> seen = new HashSet<>();
        float[][] x = new float[y.length][1];
        for (int i = 0; i < y.length; i++) {
            x[i][0] = i;
        }
        ShotLearner spy = new ShotLearner() {
            @Override
            public String id() {
                return "spy";
            }

            @Override
            public ShotHead fit(float[][] rows, int[] labels, int classes, float[][] unlabelled) {
                int[] count = new int[classes];
                for (int c : labels) {
                    count[c]++;
                }
                seen.add(java.util.Arrays.toString(count));
                return new Prototypes(Metric.EUCLIDEAN, 1f, 0).fit(rows, labels, classes, null);
            }
        };
        f.score(spy, x, y, 3);
        assertTrue(seen.equals(Set.of("[3, 3, 3]", "[3, 3, 4]")), seen.toString());
    }

    @Test
    void episodesAreSeededAndEveryShotCountSeesItsOwnDraws() {
        Random r = new Random(4);
        int classes = 6;
        float[][] x = new float[classes * 30][];
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % classes;
            float[] c = new float[8];
            c[y[i]] = 1.5f;
            x[i] = gaussian(r, 1, c, 1f)[0];
        }
        io.transfer4j.data.LabelMap labels = io.transfer4j.data.LabelMap.of(List.of("a", "b", "c", "d", "e", "f"));
        EpisodeSpec spec = new EpisodeSpec(4, List.of(1, 5), 10, 200, false);
        Episodes.Adapter protos = (sx, sy, n, q, t) -> new Episodes.Adapted("p", new Prototypes(Metric.EUCLIDEAN, 1f, 0).fit(sx, sy, n, q));
        EpisodeResult a = new Episodes(spec, 9, io.transfer4j.util.Progress.SILENT).run(x, y, labels, protos, "p", "made up", 0);
        EpisodeResult b = new Episodes(spec, 9, io.transfer4j.util.Progress.SILENT).run(x, y, labels, protos, "p", "made up", 0);
        EpisodeResult c = new Episodes(spec, 10, io.transfer4j.util.Progress.SILENT).run(x, y, labels, protos, "p", "made up", 0);
        assertEquals(a.results().get(0).meanAccuracy(), b.results().get(0).meanAccuracy());
        assertTrue(a.results().get(0).meanAccuracy() != c.results().get(0).meanAccuracy());
        double one = a.results().get(0).meanAccuracy();
        double five = a.results().get(1).meanAccuracy();
        assertTrue(one > 0.35 && five > one + 0.1, one + " vs " + five); // chance is 0.25; five shots make better prototypes
        assertTrue(a.results().get(1).ci95() > 0 && a.results().get(1).ci95() < 0.03, "" + a.results().get(1).ci95());
    }
}
