package io.transfer4j.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * A number in [0, 1) per row from a hash of its content and the seed: splits made by comparing it
 * with a fraction depend on nothing but the rows, so they are the same however the data is
 * partitioned, read or retried (unlike {@code rand()}, which follows the partitioning).
 */
final class SplitColumn {
    private static final long BUCKETS = 1_000_000;

    private SplitColumn() {}

    static Column of(long seed, Column... content) {
        Column[] all = new Column[content.length + 1];
        all[0] = functions.lit(seed);
        System.arraycopy(content, 0, all, 1, content.length);
        return functions.pmod(functions.xxhash64(all), functions.lit(BUCKETS)).divide((double) BUCKETS);
    }
}
