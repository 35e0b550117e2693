package io.transfer4j.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted transfer head: appends the predicted label and the class probabilities (in
 * {@link #labels()} order) to rows carrying a features column. Saved with Spark ML's own writer
 * (parameters as metadata, the head as one Parquet row), so it lives in a {@code PipelineModel}.
 */
public final class TransferClassificationModel extends Model<TransferClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final StructType DATA = new StructType()
            .add("labels", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("mean", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("scale", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("unitLength", DataTypes.BooleanType, false)
            .add("weight", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("bias", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("l2", DataTypes.FloatType, false)
            .add("validationAccuracy", DataTypes.DoubleType, false);

    private final String uid;
    private final LinearHead head;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;

    public TransferClassificationModel(String uid, LinearHead head) {
        this.uid = uid;
        this.featuresCol = new Param<>(this, "featuresCol", "vector column of frozen features");
        this.predictionCol = new Param<>(this, "predictionCol", "column of the predicted label");
        this.probabilityCol = new Param<>(this, "probabilityCol", "column of class probabilities, in labels() order");
        this.head = head;
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    @Override
    public String uid() {
        return uid;
    }

    public LinearHead head() {
        return head;
    }

    public List<String> labels() {
        return head.labels();
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public TransferClassificationModel setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public TransferClassificationModel setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    public TransferClassificationModel setProbabilityCol(String v) {
        set(probabilityCol, v);
        return this;
    }

    static StructType outputSchema(StructType schema, String prediction, String probability) {
        for (String c : List.of(prediction, probability)) {
            if (Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new io.transfer4j.util.UserException("the data already has a column '" + c + "'; choose another output column");
            }
        }
        return schema.add(new StructField(probability, SQLDataTypes.VectorType(), false, Metadata.empty()))
                .add(new StructField(prediction, DataTypes.StringType, false, Metadata.empty()));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String f = getOrDefault(featuresCol);
        if (!Arrays.asList(schema.fieldNames()).contains(f) || !schema.apply(f).dataType().equals(SQLDataTypes.VectorType())) {
            throw new io.transfer4j.util.UserException("the data has no vector column '" + f
                    + "'; embed the texts first (TextEmbedder) or name the features column");
        }
        return outputSchema(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        LinearHead h = head;
        UserDefinedFunction probabilities = functions.udf((UDF1<Vector, Vector>) v -> Vectors.dense(h.probabilities(v.toArray())),
                SQLDataTypes.VectorType());
        List<String> names = head.labels();
        UserDefinedFunction label = functions.udf((UDF1<Vector, String>) p -> names.get(LinearHead.argMax(p.toArray())),
                DataTypes.StringType);
        String prob = getOrDefault(probabilityCol);
        return dataset.toDF().withColumn(prob, probabilities.apply(functions.col(getOrDefault(featuresCol))))
                .withColumn(getOrDefault(predictionCol), label.apply(functions.col(prob)));
    }

    @Override
    public TransferClassificationModel copy(ParamMap extra) {
        TransferClassificationModel m = new TransferClassificationModel(uid, head);
        copyValues(m, extra);
        return m.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    public static MLReader<TransferClassificationModel> read() {
        return new Reader();
    }

    public static TransferClassificationModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final TransferClassificationModel model;

        Writer(TransferClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            LinearHead h = model.head;
            List<Float> weight = new ArrayList<>();
            for (float[] row : h.weight()) {
                weight.addAll(boxed(row));
            }
            Row row = RowFactory.create(h.labels(), boxed(h.mean()), boxed(h.scale()), h.unitLength(), weight, boxed(h.bias()), h.l2(),
                    h.validationAccuracy());
            sparkSession().createDataFrame(List.of(row), DATA).repartition(1).write().parquet(path + "/data");
        }
    }

    private static final class Reader extends MLReader<TransferClassificationModel> {
        @Override
        public TransferClassificationModel load(String path) {
            DefaultParamsReader.Metadata md = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    TransferClassificationModel.class.getName());
            Row r = sparkSession().read().parquet(path + "/data").head();
            List<String> labels = r.getList(0);
            float[] mean = unboxed(r.getList(1));
            float[] scale = unboxed(r.getList(2));
            float[] flat = unboxed(r.getList(4));
            float[] bias = unboxed(r.getList(5));
            float[][] weight = new float[bias.length][];
            for (int c = 0; c < bias.length; c++) {
                weight[c] = Arrays.copyOfRange(flat, c * mean.length, (c + 1) * mean.length);
            }
            TransferClassificationModel m = new TransferClassificationModel(md.uid(),
                    new LinearHead(labels, mean, scale, r.getBoolean(3), weight, bias, r.getFloat(6), r.getDouble(7)));
            md.getAndSetParams(m, scala.Option.empty());
            return m;
        }
    }

    private static List<Float> boxed(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add(f);
        }
        return out;
    }

    private static float[] unboxed(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }
}
