package io.transfer4j.spark;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.StratifiedSplitter;
import io.transfer4j.run.RunConfig;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.LinearProbe;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The transfer head as a Spark ML {@code Estimator}: fits a linear classifier on a vector column of
 * frozen features (from {@link TextEmbedder}) against a label column, by {@link HeadTrainer}, and
 * yields a {@link TransferClassificationModel} that predicts labels and class probabilities.
 */
public final class TransferClassifier extends Estimator<TransferClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** MLlib's L2 strengths tried (on its internally standardised coefficients), chosen on the validation split. */
    static final double[] MLLIB_REG = {1e-4, 1e-3, 1e-2, 1e-1};

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> trainer;
    private final LongParam seed;
    private final DoubleParam validationFraction;
    private final IntParam maxCollected;

    public TransferClassifier() {
        this(Identifiable$.MODULE$.randomUID("t4jTransferClassifier"));
    }

    public TransferClassifier(String uid) {
        this.uid = uid;
        this.featuresCol = new Param<>(this, "featuresCol", "vector column of frozen features");
        this.labelCol = new Param<>(this, "labelCol", "column of class labels");
        this.predictionCol = new Param<>(this, "predictionCol", "column the model writes the predicted label to");
        this.probabilityCol = new Param<>(this, "probabilityCol", "column the model writes class probabilities to (in the model's label order)");
        this.trainer = new Param<>(this, "trainer", "transfer4j (collected to the driver) or mllib (distributed)");
        this.seed = new LongParam(this, "seed", "seed of the validation split and of training");
        this.validationFraction = new DoubleParam(this, "validationFraction", "share of the rows that chooses the L2 strength", ParamValidators.inRange(0, 1, false, false));
        this.maxCollected = new IntParam(this, "maxCollected", "most rows the transfer4j trainer collects to the driver", ParamValidators.gtEq(1));
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(trainer, HeadTrainer.TRANSFER4J.id());
        setDefault(seed, 42L);
        setDefault(validationFraction, RunConfig.defaults().validationFraction());
        setDefault(maxCollected, 1_000_000);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> trainer() {
        return trainer;
    }

    public LongParam seed() {
        return seed;
    }

    public DoubleParam validationFraction() {
        return validationFraction;
    }

    public IntParam maxCollected() {
        return maxCollected;
    }

    public TransferClassifier setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public TransferClassifier setLabelCol(String v) {
        set(labelCol, v);
        return this;
    }

    public TransferClassifier setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    public TransferClassifier setProbabilityCol(String v) {
        set(probabilityCol, v);
        return this;
    }

    public TransferClassifier setTrainer(HeadTrainer v) {
        set(trainer, v.id());
        return this;
    }

    public TransferClassifier setSeed(long v) {
        set(seed, v);
        return this;
    }

    public TransferClassifier setMaxCollected(int v) {
        set(maxCollected, v);
        return this;
    }

    String value(Param<String> p) {
        return getOrDefault(p);
    }

    long getSeed() {
        return (Long) getOrDefault(seed);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        String f = value(featuresCol);
        String l = value(labelCol);
        if (!names.contains(f) || !schema.apply(f).dataType().equals(SQLDataTypes.VectorType())) {
            throw new UserException("the data has no vector column '" + f + "'; embed the texts first (TextEmbedder) or name the features column");
        }
        if (!names.contains(l)) {
            throw new UserException("the data has no label column '" + l + "' (its columns: " + String.join(", ", schema.fieldNames())
                    + "); name the label column with setLabelCol / --label-column");
        }
        return TransferClassificationModel.outputSchema(schema, value(predictionCol), value(probabilityCol));
    }

    @Override
    public TransferClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Column label = functions.col(value(labelCol)).cast(DataTypes.StringType);
        Dataset<Row> rows = dataset.toDF().select(functions.col(value(featuresCol)).as("f"), label.as("y"));
        if (rows.filter(functions.col("y").isNull()).limit(1).count() > 0) {
            throw new UserException("some rows have no value in label column '" + value(labelCol) + "'; drop them or fill them in");
        }
        HeadTrainer how = HeadTrainer.parse(value(trainer));
        LinearHead head = how == HeadTrainer.MLLIB ? fitMllib(rows) : fitCollected(rows);
        TransferClassificationModel m = new TransferClassificationModel(uid, head);
        copyValues(m, ParamMap.empty());
        m.setParent(this);
        return m;
    }

    /** Class names sorted, as {@link LabelMap#of} orders them everywhere else; at least two. */
    static LabelMap labels(Dataset<Row> rows) {
        List<String> names = new ArrayList<>();
        for (Row r : rows.select("y").distinct().limit(100_001).collectAsList()) {
            names.add(r.getString(0));
        }
        if (names.size() > 100_000) {
            throw new UserException("the label column has over 100,000 distinct values; it is not a class label");
        }
        if (names.size() < 2) {
            throw new UserException(names.isEmpty() ? "the data has no rows; give labelled rows"
                    : "every row has the label '" + names.get(0) + "'; a classifier needs at least two classes");
        }
        return LabelMap.of(names);
    }

    private LinearHead fitCollected(Dataset<Row> rows) {
        long n = rows.count();
        int cap = (Integer) getOrDefault(maxCollected);
        if (n > cap) {
            throw new UserException(n + " rows exceed the " + cap + " the transfer4j head trainer collects to the driver; "
                    + "use the distributed trainer (--head mllib) or raise the limit (--max-collected) with driver memory to match");
        }
        List<Row> all = new ArrayList<>(rows.collectAsList());
        // a fixed order whatever the partitioning, so the same data and seed give the same head
        all.sort(Comparator.<Row, String>comparing(r -> r.getString(1)).thenComparing(r -> ((Vector) r.get(0)).toArray(),
                TransferClassifier::compareVectors));
        List<String> y = new ArrayList<>(all.size());
        float[][] x = new float[all.size()][];
        for (int i = 0; i < all.size(); i++) {
            double[] v = ((Vector) all.get(i).get(0)).toArray();
            float[] f = new float[v.length];
            for (int d = 0; d < v.length; d++) {
                f[d] = (float) v[d];
            }
            x[i] = f;
            y.add(all.get(i).getString(1));
        }
        return probe(x, y, getSeed(), (Double) getOrDefault(validationFraction));
    }

    /** transfer4j's linear probe with {@code train}'s defaults on {@code x}: L2 chosen on a stratified validation part. */
    public static LinearHead probe(float[][] x, List<String> y, long seed, double validationFraction) {
        LabelMap labels = LabelMap.of(y);
        if (labels.size() < 2) {
            throw new UserException("every row has the label '" + labels.name(0) + "'; a classifier needs at least two classes");
        }
        int[][] parts = new StratifiedSplitter(validationFraction, 0, seed).indices(y, "the training rows", "row");
        int[] yi = new int[y.size()];
        java.util.Map<String, Integer> index = labels.asIndex();
        for (int i = 0; i < yi.length; i++) {
            yi[i] = index.get(y.get(i));
        }
        RunConfig defaults = RunConfig.builder().seed(seed).build();
        LinearProbe probe = new LinearProbe(HeadType.LOGISTIC, 0, defaults.headTraining(), defaults.l2Grid());
        try (LinearProbe.Fitted fit = probe.fit("head", labels.size(), pick(x, parts[0]), pick(yi, parts[0]), pick(x, parts[1]),
                pick(yi, parts[1]), Progress.SILENT)) {
            return LinearHead.of(labels.names(), fit.standardizer(), fit.model(), fit.best().l2(), fit.best().bestValidationAccuracy());
        }
    }

    private LinearHead fitMllib(Dataset<Row> rows) {
        LabelMap labels = labels(rows);
        java.util.Map<String, Integer> index = labels.asIndex();
        org.apache.spark.sql.expressions.UserDefinedFunction toIndex = functions.udf(
                (org.apache.spark.sql.api.java.UDF1<String, Double>) s -> (double) index.get(s), DataTypes.DoubleType);
        Dataset<Row> indexed = rows.withColumn("yi", toIndex.apply(functions.col("y")))
                .withColumn("part", SplitColumn.of(getSeed(), functions.col("f"), functions.col("y")))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            double vf = (Double) getOrDefault(validationFraction);
            Dataset<Row> train = indexed.filter(functions.col("part").geq(vf));
            Dataset<Row> val = indexed.filter(functions.col("part").lt(vf));
            LogisticRegressionModel best = null;
            double bestAccuracy = -1;
            double bestReg = 0;
            for (double reg : MLLIB_REG) {
                LogisticRegressionModel m = logistic(reg).fit(train);
                double acc = m.transform(val).filter(functions.col("prediction").equalTo(functions.col("yi"))).count()
                        / (double) Math.max(1, val.count());
                if (acc > bestAccuracy) {
                    bestAccuracy = acc;
                    best = m;
                    bestReg = reg;
                }
            }
            Matrix w = best.coefficientMatrix();
            Vector b = best.interceptVector();
            int width = w.numCols();
            float[][] weight = new float[labels.size()][width];
            float[] bias = new float[labels.size()];
            for (int c = 0; c < labels.size(); c++) {
                for (int d = 0; d < width; d++) {
                    weight[c][d] = (float) w.apply(c, d);
                }
                bias[c] = (float) b.apply(c);
            }
            return LinearHead.of(labels.names(), io.transfer4j.train.Standardizer.identity(width), weight, bias, (float) bestReg, bestAccuracy);
        } finally {
            indexed.unpersist();
        }
    }

    private LogisticRegression logistic(double reg) {
        return new LogisticRegression().setFeaturesCol("f").setLabelCol("yi").setFamily("multinomial").setRegParam(reg)
                .setElasticNetParam(0).setStandardization(true).setMaxIter(200);
    }

    private static int compareVectors(double[] a, double[] b) {
        return Arrays.compare(a, b);
    }

    private static float[][] pick(float[][] x, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }

    private static int[] pick(int[] y, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = y[idx[i]];
        }
        return out;
    }

    @Override
    public TransferClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    public static MLReader<TransferClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static TransferClassifier load(String path) {
        return read().load(path);
    }
}
