package io.transfer4j.spark;

import io.transfer4j.backbone.FeatureExtractor;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.TextDataset;
import io.transfer4j.eval.Metrics;
import io.transfer4j.model.ProbeClassifier;
import io.transfer4j.run.ModelResult;
import io.transfer4j.run.RunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.train.FitResult;
import io.transfer4j.train.HeadType;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code train} on Spark: labelled texts in a DataFrame are split (by a hash of each text, so the
 * split is the same however the data is partitioned), embedded once on the executors, a transfer
 * head fitted on the training part and scored on the held-out part; the scratch baseline and the
 * negative-transfer check run on a driver-side sample ({@link SampleCheck}). The result is a Spark
 * {@code PipelineModel} and a normal transfer4j bundle.
 */
public final class SparkTransfer {
    private static final String FEATURES = SparkBundles.FEATURES;
    private static final String PART = "_t4j_part";
    private final SparkTransferConfig config;

    public SparkTransfer(SparkTransferConfig config) {
        this.config = config;
    }

    public SparkTransferConfig config() {
        return config;
    }

    /** The embedding stage this run uses, for callers that build their own Spark pipelines. */
    public TextEmbedder embedder() {
        return new TextEmbedder().setInputCol(config.textColumn()).setOutputCol(FEATURES).setBackbone(config.backbone())
                .setMaxLength(config.maxLength()).setMaxWindows(config.maxWindows()).setBatchSize(config.batchSize());
    }

    public SparkRun fit(Dataset<Row> data, String source) {
        long t0 = System.nanoTime();
        String text = config.textColumn();
        String label = config.labelColumn();
        requireColumns(data, text, label);
        Dataset<Row> rows = data.select(functions.col(text).cast(DataTypes.StringType).as(text),
                functions.col(label).cast(DataTypes.StringType).as(label));
        // Spark's readers decode bytes that are not UTF-8 as U+FFFD without a word: say so before embedding them
        Row bad = rows.agg(functions.count(functions.when(functions.col(text).isNull().or(functions.col(label).isNull()), 1)),
                functions.count(functions.when(functions.col(text).contains("\uFFFD"), 1))).head();
        if (bad.getLong(0) > 0) {
            throw new UserException(bad.getLong(0) + " rows of " + source + " have no " + text + " or no " + label
                    + "; drop or fill them first");
        }
        if (bad.getLong(1) > 0) {
            throw new UserException(bad.getLong(1) + " texts of " + source + " hold bytes that are not UTF-8 (read as U+FFFD); "
                    + "re-encode the file as UTF-8");
        }
        TextEmbedder embedder = embedder();
        rows = Partitions.spread(rows, functions.col(text));
        Dataset<Row> embedded = embedder.transform(rows.withColumn(PART, SplitColumn.of(config.seed(), functions.col(text))))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long e0 = System.nanoTime();
            long n = embedded.count();
            long embedMillis = (System.nanoTime() - e0) / 1_000_000;
            if (n == 0) {
                throw new UserException(source + " has no rows; give labelled texts");
            }
            Column isTest = functions.col(PART).lt(config.testFraction());
            Dataset<Row> train = embedded.filter(functions.not(isTest));
            Dataset<Row> test = embedded.filter(isTest);
            long trainN = train.count();
            long testN = n - trainN;
            if (trainN == 0 || testN == 0) {
                throw new UserException(source + " has " + n + " rows, too few to hold out " + Math.round(config.testFraction() * 100)
                        + "% for testing; give more rows");
            }
            long f0 = System.nanoTime();
            TransferClassificationModel head = new TransferClassifier().setFeaturesCol(FEATURES).setLabelCol(label)
                    .setTrainer(config.trainer()).setSeed(config.seed()).setMaxCollected(config.maxCollected()).fit(train);
            long fitMillis = (System.nanoTime() - f0) / 1_000_000;
            LabelMap labels = new LabelMap(head.labels());
            long s0 = System.nanoTime();
            Dataset<Row> scored = head.transform(test);
            ModelResult transfer = score(scored, labels, text, label, head.getOrDefault(head.predictionCol()), fitMillis, head.head());
            long scoreMillis = (System.nanoTime() - s0) / 1_000_000;
            StagedBackbone staged = StagedBackbone.ship(embedded.sparkSession(), config.backbone(), config.maxLength(),
                    config.maxWindows());
            RunConfig runConfig = RunConfig.builder().backbone(config.backbone()).maxLength(staged.maxLength())
                    .maxWindows(config.maxWindows()).seed(config.seed())
                    .split(RunConfig.defaults().validationFraction(), config.testFraction()).build();
            long c0 = System.nanoTime();
            TransferRun<ProbeClassifier, RunConfig> sample = SampleCheck.run(embedded, n, staged, runConfig, config, FEATURES);
            long checkMillis = (System.nanoTime() - c0) / 1_000_000;
            String fingerprint = fingerprint(train, text, label);
            PipelineModel model = new PipelineModel("t4jSparkTransfer_" + fingerprint.substring(0, 12),
                    new Transformer[] {embedder, head});
            SparkRun.Timings timings = new SparkRun.Timings(n, embedMillis, fitMillis, scoreMillis, checkMillis,
                    (System.nanoTime() - t0) / 1_000_000, embedded.rdd().getNumPartitions());
            try {
                TransferRun<ProbeClassifier, RunConfig> run = record(runConfig, staged.resolved(), head.head(), labels, fingerprint, trainN,
                        testN, transfer, sample, timings);
                return new SparkRun(model, run, timings, config.trainer());
            } finally {
                if (sample != null) {
                    sample.close();
                }
            }
        } finally {
            embedded.unpersist();
        }
    }

    private static void requireColumns(Dataset<Row> data, String... columns) {
        List<String> have = Arrays.asList(data.columns());
        for (String c : columns) {
            if (!have.contains(c)) {
                throw new UserException("the data has no column '" + c + "' (its columns: " + String.join(", ", have)
                        + "); name it with --text-column / --label-column");
            }
        }
    }

    /** The held-out metrics from the confusion counts (computed on the executors) and the first misclassified rows. */
    private static ModelResult score(Dataset<Row> scored, LabelMap labels, String text, String label, String prediction, long fitMillis,
            LinearHead head) {
        Map<String, Integer> index = labels.asIndex();
        List<Row> counts = scored.groupBy(label, prediction).count().collectAsList();
        long total = 0;
        for (Row r : counts) {
            if (!index.containsKey(r.getString(0))) {
                throw new UserException("class '" + r.getString(0) + "' occurs only in the held-out part, never in training; "
                        + "give it more rows or drop it");
            }
            total += r.getLong(2);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new UserException("the held-out part has " + total + " rows; lower the test fraction");
        }
        int[] truth = new int[(int) total];
        int[] pred = new int[(int) total];
        int at = 0;
        for (Row r : counts) {
            int t = index.get(r.getString(0));
            int p = index.get(r.getString(1));
            for (long k = 0; k < r.getLong(2); k++) {
                truth[at] = t;
                pred[at++] = p;
            }
        }
        List<ModelResult.Misclassified> wrong = new ArrayList<>();
        for (Row r : scored.filter(functions.col(label).notEqual(functions.col(prediction))).select(text, label, prediction)
                .orderBy(text).limit(ModelResult.MISCLASSIFIED_KEPT).collectAsList()) {
            wrong.add(new ModelResult.Misclassified(TextDataset.abbreviate(r.getString(0)), r.getString(1), r.getString(2)));
        }
        FitResult fit = new FitResult(head.l2(), 0, 0, Double.NaN, head.validationAccuracy(), List.of(), fitMillis, 0);
        return new ModelResult("transfer:spark+linear", Metrics.compute(truth, pred, labels), fit, fitMillis, null, wrong);
    }

    /**
     * An order-independent fingerprint of the training rows (their count and the sum and xor of
     * each row's 64-bit hash), hashed with SHA-256: what a bundle records as its training data.
     */
    private static String fingerprint(Dataset<Row> train, String text, String label) {
        Row r = train.select(functions.xxhash64(functions.col(text), functions.col(label)).as("h"))
                .agg(functions.count("h"), functions.sum(functions.col("h").cast(DataTypes.createDecimalType(38, 0))),
                        functions.bit_xor(functions.col("h")))
                .head();
        return Hashing.sha256Hex(r.get(0) + "|" + r.get(1) + "|" + r.get(2));
    }

    /** The run a bundle stores: the full held-out figures of the Spark head, the scratch baseline and check from the sample. */
    private TransferRun<ProbeClassifier, RunConfig> record(RunConfig runConfig, StagedBackbone.Resolved backbone, LinearHead head,
            LabelMap labels, String fingerprint,
            long trainN, long testN, ModelResult transfer, TransferRun<ProbeClassifier, RunConfig> sample, SparkRun.Timings timings) {
        FeatureExtractor fx = FeatureExtractor.of(backbone.spec(), backbone.files(), runConfig.maxLength(), runConfig.maxWindows(), true);
        ai.djl.Model djl = null;
        try {
            djl = head.toModel();
            ProbeClassifier classifier = new ProbeClassifier(fx, head.standardizer(), HeadType.LOGISTIC, 0, djl, labels);
            List<String> warnings = new ArrayList<>();
            ModelResult scratch = null;
            if (sample != null) {
                warnings.add("the scratch baseline and the negative-transfer check ran on a " + (sample.trainSize()
                        + sample.validationSize() + sample.testSize()) + "-row sample (seed " + (config.seed() + 1)
                        + "), transfer against scratch with the same split and budget; the transfer figures are the "
                        + config.trainer().id() + " head's on all " + testN + " held-out rows");
                warnings.addAll(sample.warnings());
                ModelResult s = sample.scratch();
                if (s != null) {
                    scratch = new ModelResult(s.name() + " (sample)", s.test(), s.training(), s.trainMillis(), s.testPredictions(),
                            s.misclassified());
                }
            } else {
                warnings.add("no scratch baseline: the sample check was turned off (--sample 0)");
            }
            int validation = (int) Math.round(trainN * runConfig.validationFraction());
            return new TransferRun<>("text", runConfig, fingerprint, (int) Math.min(Integer.MAX_VALUE, trainN - validation), validation,
                    (int) Math.min(Integer.MAX_VALUE, testN), labels.names(), transfer, scratch, null, null, warnings, null,
                    timings.totalMillis(), classifier, sample == null ? null : sample.guard(), sample == null ? null : sample.paired(),
                    null);
        } catch (RuntimeException e) {
            if (djl != null) {
                djl.close();
            }
            fx.close();
            throw e;
        }
    }
}
