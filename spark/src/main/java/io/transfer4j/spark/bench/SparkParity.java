package io.transfer4j.spark.bench;

import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.data.TextDataset;
import io.transfer4j.data.TextDatasetReader;
import io.transfer4j.spark.HeadTrainer;
import io.transfer4j.spark.LinearHead;
import io.transfer4j.spark.StagedBackbone;
import io.transfer4j.spark.TextEmbedder;
import io.transfer4j.spark.TransferClassificationModel;
import io.transfer4j.spark.TransferClassifier;
import io.transfer4j.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Benchmark, not a test: the same texts embedded in one JVM (the {@code FeatureExtractor} that
 * {@code train} uses, no Spark) and by {@link TextEmbedder} on local Spark with 1 and 2 executor
 * cores; prints the throughput of each as a ratio against the single-JVM path, the largest
 * difference between the vectors, and the held-out accuracy of the same head on either side's
 * vectors (one split, by a hash of each text). Run by {@code scripts/spark-evidence.sh}.
 *
 * <p>Arguments: CSV (text,label) · backbone · max length · repeats (median taken) · windows per text (default 8)
 * · executor core counts, comma-separated (default 1,2; the last one also trains the heads).
 */
public final class SparkParity {
    private SparkParity() {}

    public static void main(String[] args) {
        Path csv = Path.of(args[0]);
        String backbone = args[1];
        int maxLength = Integer.parseInt(args[2]);
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int windows = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        int[] coreCounts = java.util.Arrays.stream((args.length > 5 ? args[5] : "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
        TextDataset data = TextDatasetReader.labelled("text", "label").read(csv);
        List<String> texts = data.texts();
        int n = texts.size();
        System.out.printf(Locale.ROOT, "%d texts from %s, backbone %s, %d tokens per window, up to %d windows, median of %d%n", n, csv,
                backbone, maxLength, windows, repeats);

        StagedBackbone.Resolved r = StagedBackbone.resolve(backbone);
        float[][] single = null;
        List<Long> singleMs = new ArrayList<>();
        for (int k = 0; k < repeats; k++) {
            try (FeatureExtractor fx = new FeatureExtractor(r.spec(), r.files(), maxLength, windows, 32, null)) {
                long t0 = System.nanoTime();
                single = fx.extract(texts, Progress.SILENT);
                singleMs.add((System.nanoTime() - t0) / 1_000_000);
            }
        }
        long one = median(singleMs);
        System.out.printf(Locale.ROOT, "single JVM (train's FeatureExtractor, ONNX Runtime on all cores): %.1f s, %.1f texts/s%n",
                one / 1000.0, n * 1000.0 / one);

        Map<String, float[]> sparkVectors = null;
        Map<String, double[]> accuracies = new HashMap<>();
        for (int cores : coreCounts) {
            SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("transfer4j-parity")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            try {
                List<Row> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    rows.add(RowFactory.create(texts.get(i), data.labels().get(i)));
                }
                Dataset<Row> df = spark.createDataFrame(rows, new StructType().add("text", "string").add("label", "string"))
                        .repartition(4 * cores).cache();
                df.count();
                TextEmbedder embedder = new TextEmbedder().setBackbone(backbone).setMaxLength(maxLength).setMaxWindows(windows);
                List<Long> ms = new ArrayList<>();
                List<Row> out = null;
                for (int k = 0; k < repeats; k++) {
                    long t0 = System.nanoTime();
                    out = embedder.transform(df).select("text", "label", "features").collectAsList();
                    ms.add((System.nanoTime() - t0) / 1_000_000);
                }
                long t = median(ms);
                System.out.printf(Locale.ROOT, "spark local[%d] (TextEmbedder, one ONNX Runtime thread per task): %.1f s, %.1f texts/s, "
                        + "%.2fx the single JVM's throughput%n", cores, t / 1000.0, n * 1000.0 / t, one / (double) t);
                sparkVectors = new HashMap<>();
                for (Row row : out) {
                    double[] v = ((Vector) row.get(2)).toArray();
                    float[] f = new float[v.length];
                    for (int d = 0; d < v.length; d++) {
                        f[d] = (float) v[d];
                    }
                    sparkVectors.put(row.getString(0), f);
                }
                if (cores == coreCounts[coreCounts.length - 1]) {
                    accuracies = heads(spark, texts, data.labels(), single, sparkVectors);
                }
            } finally {
                spark.stop();
            }
        }
        double worst = 0;
        double worstRel = 0;
        for (int i = 0; i < n; i++) {
            float[] a = single[i];
            float[] b = sparkVectors.get(texts.get(i));
            double norm = 0;
            double row = 0;
            for (int d = 0; d < a.length; d++) {
                row = Math.max(row, Math.abs(a[d] - b[d]));
                norm = Math.max(norm, Math.abs(a[d]));
            }
            worst = Math.max(worst, row);
            worstRel = Math.max(worstRel, row / Math.max(norm, 1e-12));
        }
        System.out.printf(Locale.ROOT, "vectors: max |single JVM - spark| = %.3e (largest relative to the row's largest value: %.3e)%n",
                worst, worstRel);
        accuracies.forEach((k, v) -> System.out.printf(Locale.ROOT, "held-out accuracy, %s: %.4f [%.4f, %.4f] on %d rows%n", k, v[0],
                v[1], v[2], (int) v[3]));
    }

    /** The same split (by text hash) and head trainers on both sides' vectors, scored on the same held-out rows. */
    private static Map<String, double[]> heads(SparkSession spark, List<String> texts, List<String> labels, float[][] single,
            Map<String, float[]> spark2) {
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            (Math.floorMod(texts.get(i).hashCode(), 5) == 0 ? test : train).add(i);
        }
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        float[][] sparkF = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            sparkF[i] = spark2.get(texts.get(i));
        }
        out.put("transfer4j probe on single-JVM vectors", score(probe(single, labels, train), single, labels, test));
        out.put("transfer4j probe on Spark vectors", score(probe(sparkF, labels, train), sparkF, labels, test));
        List<Row> rows = new ArrayList<>();
        for (int i : train) {
            double[] d = new double[sparkF[i].length];
            for (int k = 0; k < d.length; k++) {
                d[k] = sparkF[i][k];
            }
            rows.add(RowFactory.create(Vectors.dense(d), labels.get(i)));
        }
        Dataset<Row> df = spark.createDataFrame(rows, new StructType().add("features", SQLDataTypes.VectorType()).add("label", "string"));
        TransferClassificationModel m = new TransferClassifier().setTrainer(HeadTrainer.MLLIB).fit(df);
        out.put("MLlib logistic regression on Spark vectors", score(m.head(), sparkF, labels, test));
        return out;
    }

    private static LinearHead probe(float[][] x, List<String> labels, List<Integer> rows) {
        float[][] xs = new float[rows.size()][];
        List<String> ys = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            xs[i] = x[rows.get(i)];
            ys.add(labels.get(rows.get(i)));
        }
        return TransferClassifier.probe(xs, ys, 42, 0.15);
    }

    private static double[] score(LinearHead h, float[][] x, List<String> labels, List<Integer> rows) {
        int right = 0;
        for (int i : rows) {
            double[] v = new double[x[i].length];
            for (int d = 0; d < v.length; d++) {
                v[d] = x[i][d];
            }
            right += h.labels().get(LinearHead.argMax(h.probabilities(v))).equals(labels.get(i)) ? 1 : 0;
        }
        double p = right / (double) rows.size();
        double half = 1.96 * Math.sqrt(p * (1 - p) / rows.size());
        return new double[] {p, p - half, p + half, rows.size()};
    }

    private static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
