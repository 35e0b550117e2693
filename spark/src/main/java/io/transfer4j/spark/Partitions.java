package io.transfer4j.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Enough partitions for every executor core to embed: a small CSV file is read as one partition, which one core would embed alone. */
public final class Partitions {
    private Partitions() {}

    /**
     * {@code data} in at least twice as many partitions as the cluster has cores (hash-partitioned
     * by {@code key}, so the same rows always land together); unchanged when it already has that many.
     */
    public static Dataset<Row> spread(Dataset<Row> data, Column key) {
        int want = 2 * data.sparkSession().sparkContext().defaultParallelism();
        return data.rdd().getNumPartitions() >= want ? data : data.repartition(want, key);
    }
}
