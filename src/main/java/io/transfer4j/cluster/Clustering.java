package io.transfer4j.cluster;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.model.Classifier;
import io.transfer4j.pipeline.Pipeline;
import io.transfer4j.run.RunSettings;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import io.transfer4j.util.UserException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Unsupervised transfer: rows of any modality clustered in a pre-trained backbone's frozen
 * feature space (the same features a linear probe reads, cached alike), or in raw features as the
 * baseline. k-means with k chosen by the mean silhouette when not given, or Ward's agglomerative
 * clustering; scored against labels when the rows carry them. Immutable.
 */
public final class Clustering<D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> {
    /** Rows per cluster listed as its most typical (nearest the centre). */
    static final int EXEMPLARS = 5;
    public static final String CLUSTERS_CSV = "clusters.csv";
    public static final String CLUSTERS_JSON = "clusters.json";

    private final Pipeline<D, M, C> pipeline;
    private final ClusterConfig config;

    private Clustering(Pipeline<D, M, C> pipeline, ClusterConfig config) {
        this.pipeline = pipeline;
        this.config = config;
    }

    public static <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> Clustering<D, M, C> of(
            Pipeline<D, M, C> pipeline) {
        return new Clustering<>(pipeline, ClusterConfig.DEFAULT.toBuilder().seed(pipeline.config().seed()).build());
    }

    public Clustering<D, M, C> config(ClusterConfig c) {
        return new Clustering<>(pipeline, c);
    }

    public Clustering<D, M, C> configure(java.util.function.UnaryOperator<ClusterConfig.Builder> change) {
        return config(change.apply(config.toBuilder()).build());
    }

    /** Clusters {@code rows}; labels, when every row has one, are read only to score the partition. */
    public ClusterRun run(D rows) {
        int n = rows.size();
        if (n < 3) {
            throw new UserException(rows.source() + " has " + n + " rows; clustering needs at least 3");
        }
        if (config.algorithm() == ClusterConfig.Algorithm.AGGLOMERATIVE && n > Agglomerative.MAX_ROWS) {
            throw new UserException("agglomerative clustering keeps an n x n distance matrix, so it takes at most "
                    + Agglomerative.MAX_ROWS + " rows (" + n + " given); use --algorithm kmeans or a sample of the data");
        }
        long f0 = System.nanoTime();
        float[][] read = config.raw() ? RawFeatures.of(rows) : pipeline.modality().frozenFeatures(pipeline.config(), rows,
                pipeline.context().progress());
        String features = config.raw() ? (rows.rowNoun().equals("image") ? "raw pixels" : "raw TF-IDF")
                : "frozen " + pipeline.config().backbone();
        float[][] x = config.unitLength() ? unitLength(read) : read;
        long featureMillis = (System.nanoTime() - f0) / 1_000_000;
        long c0 = System.nanoTime();
        int[] sample = sample(n, config.silhouetteRows(), config.seed());
        float[][] xs = IntStream.of(sample).mapToObj(i -> x[i]).toArray(float[][]::new);
        List<ClusterRun.KScore> tried = new ArrayList<>();
        int k = config.k();
        if (k > n) {
            throw new UserException("--k " + k + " exceeds the " + n + " rows");
        }
        int[] assignment = null;
        if (k == 0) {
            double best = Double.NEGATIVE_INFINITY;
            for (int kk = config.kMin(); kk <= Math.min(config.kMax(), n - 1); kk++) {
                int[] a = partition(x, kk);
                double s = ClusterScores.silhouette(xs, pick(a, sample), kk);
                tried.add(new ClusterRun.KScore(kk, s));
                if (s > best) {
                    best = s;
                    k = kk;
                    assignment = a;
                }
            }
        } else {
            assignment = partition(x, k);
        }
        double silhouette = k >= 2 ? ClusterScores.silhouette(xs, pick(assignment, sample), k) : Double.NaN;
        // unlabelled rows (texts read without a label column) carry no labels or empty ones: nothing to score against
        boolean labelled = rows.labels() != null && rows.labels().stream().noneMatch(String::isEmpty)
                && rows.labels().stream().distinct().count() >= 2;
        double nmi = Double.NaN;
        double ari = Double.NaN;
        int[] y = null;
        LabelMap labels = null;
        if (labelled) {
            labels = rows.labelMap();
            y = rows.labelIndices(labels);
            nmi = ClusterScores.nmi(y, assignment);
            ari = ClusterScores.ari(y, assignment);
        }
        List<ClusterRun.Cluster> clusters = describe(rows, x, assignment, k, y, labels);
        return new ClusterRun(rows.source(), n, features, config.algorithm().id(), k, tried, silhouette, xs.length, nmi, ari, clusters,
                config.seed(), featureMillis, (System.nanoTime() - c0) / 1_000_000, assignment);
    }

    private int[] partition(float[][] x, int k) {
        return config.algorithm() == ClusterConfig.Algorithm.KMEANS ? KMeans.fit(x, k, config.restarts(), config.seed()).assignment()
                : Agglomerative.ward(x, k);
    }

    /** Each cluster's size, majority label and the rows nearest its mean. */
    private static List<ClusterRun.Cluster> describe(Labelled<?> rows, float[][] x, int[] a, int k, int[] y, LabelMap labels) {
        int d = x[0].length;
        double[][] mean = new double[k][d];
        int[] size = new int[k];
        for (int i = 0; i < x.length; i++) {
            size[a[i]]++;
            for (int j = 0; j < d; j++) {
                mean[a[i]][j] += x[i][j];
            }
        }
        List<ClusterRun.Cluster> out = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (size[c] == 0) {
                continue;
            }
            float[] centre = new float[d];
            for (int j = 0; j < d; j++) {
                centre[j] = (float) (mean[c][j] / size[c]);
            }
            final int cc = c;
            List<String> nearest = IntStream.range(0, x.length).filter(i -> a[i] == cc).boxed()
                    .sorted(Comparator.comparingDouble(i -> KMeans.squared(x[i], centre))).limit(EXEMPLARS).map(rows::rowName).toList();
            String majority = null;
            double share = Double.NaN;
            if (y != null) {
                int[] votes = new int[labels.size()];
                for (int i = 0; i < x.length; i++) {
                    if (a[i] == c) {
                        votes[y[i]]++;
                    }
                }
                int arg = 0;
                for (int l = 1; l < votes.length; l++) {
                    if (votes[l] > votes[arg]) {
                        arg = l;
                    }
                }
                majority = labels.name(arg);
                share = (double) votes[arg] / size[c];
            }
            out.add(new ClusterRun.Cluster(c, size[c], majority, share, nearest));
        }
        return out;
    }

    /** Writes {@link #CLUSTERS_CSV} (row, cluster) and {@link #CLUSTERS_JSON} into {@code dir}, atomically. */
    public static void save(ClusterRun run, Labelled<?> rows, Path dir) {
        AtomicDirectory.write(dir, tmp -> {
            StringBuilder csv = new StringBuilder("row,cluster\n");
            for (int i = 0; i < run.assignment().length; i++) {
                csv.append(quote(rows.rowName(i))).append(',').append(run.assignment()[i]).append('\n');
            }
            Files.write(tmp.resolve(CLUSTERS_CSV), csv.toString().getBytes(StandardCharsets.UTF_8));
            Files.write(tmp.resolve(CLUSTERS_JSON), Json.bytes(run));
        });
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"").replace('\n', ' ') + "\"";
    }

    static float[][] unitLength(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double norm = Math.sqrt(KMeans.dot(x[i], x[i]));
            out[i] = new float[x[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = norm > 0 ? (float) (x[i][j] / norm) : 0;
            }
        }
        return out;
    }

    private static int[] sample(int n, int max, long seed) {
        if (n <= max) {
            return IntStream.range(0, n).toArray();
        }
        return java.util.Arrays.copyOf(io.transfer4j.util.Permutations.shuffled(n, new Random(seed)), max);
    }

    private static int[] pick(int[] a, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }
}
