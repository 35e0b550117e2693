package io.transfer4j.spark;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Texts to frozen feature vectors on Spark: a Spark ML {@code Transformer} that appends a vector
 * column. Any catalogue backbone or user ONNX encoder; the backbone is shipped to the executors,
 * each executor JVM opens one ONNX Runtime session shared by its tasks, and each partition is
 * embedded in chunks with the same token-length bucketing and long-text windows as on one machine,
 * so the vectors equal {@code train}'s. Outputs depend only on each row's text: reruns, retried
 * tasks and any partitioning give the same column.
 */
public final class TextEmbedder extends Transformer implements MLWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> backbone;
    private final IntParam maxLength;
    private final IntParam maxWindows;
    private final IntParam batchSize;
    private final IntParam chunkSize;
    private final IntParam threads;

    public TextEmbedder() {
        this(Identifiable$.MODULE$.randomUID("t4jTextEmbedder"));
    }

    public TextEmbedder(String uid) {
        this.uid = uid;
        this.inputCol = new Param<>(this, "inputCol", "column of texts");
        this.outputCol = new Param<>(this, "outputCol", "vector column to write");
        this.backbone = new Param<>(this, "backbone", "catalogue id, layer cut (id@layer) or path of a model.onnx with tokenizer.json beside it");
        this.maxLength = new IntParam(this, "maxLength", "tokens per window, 0 for the backbone's limit", ParamValidators.gtEq(0));
        this.maxWindows = new IntParam(this, "maxWindows", "windows read per long text", ParamValidators.gtEq(1));
        this.batchSize = new IntParam(this, "batchSize", "texts per ONNX Runtime batch", ParamValidators.gtEq(1));
        this.chunkSize = new IntParam(this, "chunkSize", "texts of a partition embedded together (length buckets form within a chunk)", ParamValidators.gtEq(1));
        setDefault(inputCol, "text");
        setDefault(outputCol, "features");
        setDefault(backbone, BackboneCatalogue.DEFAULT_ID);
        setDefault(maxLength, 0);
        setDefault(maxWindows, TextEncoder.DEFAULT_MAX_WINDOWS);
        setDefault(batchSize, 32);
        this.threads = new IntParam(this, "threads", "ONNX Runtime threads per task; 0 for spark.task.cpus", ParamValidators.gtEq(0));
        setDefault(chunkSize, 1024);
        setDefault(threads, 0);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> backbone() {
        return backbone;
    }

    public IntParam maxLength() {
        return maxLength;
    }

    public IntParam maxWindows() {
        return maxWindows;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam chunkSize() {
        return chunkSize;
    }

    public IntParam threads() {
        return threads;
    }

    /** ONNX Runtime threads per task; 0 (the default) for {@code spark.task.cpus}, so a task uses the cores Spark gave it. */
    public TextEmbedder setThreads(int v) {
        set(threads, v);
        return this;
    }

    public TextEmbedder setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    public TextEmbedder setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    public TextEmbedder setBackbone(String v) {
        set(backbone, v);
        return this;
    }

    public TextEmbedder setMaxLength(int v) {
        set(maxLength, v);
        return this;
    }

    public TextEmbedder setMaxWindows(int v) {
        set(maxWindows, v);
        return this;
    }

    public TextEmbedder setBatchSize(int v) {
        set(batchSize, v);
        return this;
    }

    public TextEmbedder setChunkSize(int v) {
        set(chunkSize, v);
        return this;
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public String getBackbone() {
        return getOrDefault(backbone);
    }

    public int getMaxLength() {
        return (Integer) getOrDefault(maxLength);
    }

    public int getMaxWindows() {
        return (Integer) getOrDefault(maxWindows);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String in = getInputCol();
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new UserException("the data has no column '" + in + "' (its columns: " + String.join(", ", schema.fieldNames())
                    + "); name the text column with setInputCol / --text-column");
        }
        if (!schema.apply(in).dataType().equals(DataTypes.StringType)) {
            throw new UserException("column '" + in + "' holds " + schema.apply(in).dataType().simpleString()
                    + ", not text; cast it to string or name the text column");
        }
        if (Arrays.asList(schema.fieldNames()).contains(getOutputCol())) {
            throw new UserException("the data already has a column '" + getOutputCol() + "'; choose another output column");
        }
        return schema.add(new StructField(getOutputCol(), SQLDataTypes.VectorType(), false, org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        StagedBackbone staged = StagedBackbone.ship(dataset.sparkSession(), getBackbone(), getMaxLength(), getMaxWindows());
        int column = dataset.schema().fieldIndex(getInputCol());
        int batch = (Integer) getOrDefault(batchSize);
        int chunk = (Integer) getOrDefault(chunkSize);
        String columnName = getInputCol();
        int given = (Integer) getOrDefault(threads);
        int cores = given > 0 ? given : Integer.parseInt(dataset.sparkSession().sparkContext().getConf().get("spark.task.cpus", "1"));
        MapPartitionsFunction<Row, Row> embed = rows -> new Chunked(rows, chunk, texts -> ExecutorEncoders.of(staged, batch, cores)
                .encode(texts, Progress.SILENT), column, columnName);
        return dataset.toDF().mapPartitions(embed, Encoders.row(out));
    }

    /** The vectors of one chunk of texts. */
    interface ChunkEncoder {
        float[][] encode(List<String> texts);
    }

    /**
     * A partition's rows with their vectors appended, embedded {@code chunk} rows at a time so a
     * partition of any size is read in bounded memory.
     */
    static final class Chunked implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final int chunk;
        private final ChunkEncoder encoder;
        private final int column;
        private final String columnName;
        private final List<Row> pending = new ArrayList<>();
        private float[][] vectors;
        private int next;

        Chunked(Iterator<Row> rows, int chunk, ChunkEncoder encoder, int column, String columnName) {
            this.rows = rows;
            this.chunk = chunk;
            this.encoder = encoder;
            this.column = column;
            this.columnName = columnName;
        }

        @Override
        public boolean hasNext() {
            if (next < pending.size()) {
                return true;
            }
            pending.clear();
            next = 0;
            List<String> texts = new ArrayList<>();
            while (pending.size() < chunk && rows.hasNext()) {
                Row r = rows.next();
                if (r.isNullAt(column)) {
                    throw new UserException("a row has no text in column '" + columnName + "'; drop or fill the empty values first");
                }
                pending.add(r);
                texts.add(r.getString(column));
            }
            vectors = pending.isEmpty() ? null : encoder.encode(texts);
            return !pending.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = pending.get(next);
            float[] v = vectors[next++];
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            Object[] values = new Object[r.length() + 1];
            for (int i = 0; i < r.length(); i++) {
                values[i] = r.get(i);
            }
            values[r.length()] = Vectors.dense(d);
            return RowFactory.create(values);
        }
    }

    @Override
    public TextEmbedder copy(ParamMap extra) {
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

    public static MLReader<TextEmbedder> read() {
        return new DefaultParamsReader<>();
    }

    public static TextEmbedder load(String path) {
        return read().load(path);
    }
}
