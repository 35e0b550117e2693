package io.transfer4j.cluster;

import io.transfer4j.util.UserException;

/**
 * How rows are clustered, immutable; {@link #toBuilder} to change it.
 *
 * @param k clusters; 0 = chosen by the mean silhouette over {@code kMin..kMax}
 * @param algorithm k-means, or agglomerative (Ward) for at most {@link Agglomerative#MAX_ROWS} rows
 * @param raw cluster raw features (pixels, TF-IDF) instead of the backbone's: the baseline
 * @param unitLength scale each feature vector to unit length first (cosine geometry, as sentence embeddings are compared)
 */
public record ClusterConfig(int k, int kMin, int kMax, Algorithm algorithm, boolean raw, boolean unitLength, int restarts,
        int silhouetteRows, long seed) {
    public enum Algorithm {
        KMEANS, AGGLOMERATIVE;

        public String id() {
            return this == KMEANS ? "kmeans" : "agglomerative";
        }

        public static Algorithm parse(String s) {
            return switch (s) {
                case "kmeans", "k-means" -> KMEANS;
                case "agglomerative", "ward" -> AGGLOMERATIVE;
                default -> throw new UserException("unknown clustering '" + s + "'; choose kmeans or agglomerative");
            };
        }
    }

    public static final ClusterConfig DEFAULT = new ClusterConfig(0, 2, 12, Algorithm.KMEANS, false, true, 5, 2000, 42);

    public ClusterConfig {
        if (k < 0 || kMin < 2 || kMax < kMin || restarts < 1 || silhouetteRows < 10) {
            throw new UserException("cluster settings out of range: k " + k + " (0 = choose), k range " + kMin + ".." + kMax
                    + " (from 2 up), restarts " + restarts + " (>= 1), silhouette rows " + silhouetteRows + " (>= 10)");
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    public static final class Builder {
        private int k;
        private int kMin;
        private int kMax;
        private Algorithm algorithm;
        private boolean raw;
        private boolean unitLength;
        private int restarts;
        private int silhouetteRows;
        private long seed;

        private Builder(ClusterConfig c) {
            k = c.k;
            kMin = c.kMin;
            kMax = c.kMax;
            algorithm = c.algorithm;
            raw = c.raw;
            unitLength = c.unitLength;
            restarts = c.restarts;
            silhouetteRows = c.silhouetteRows;
            seed = c.seed;
        }

        public Builder k(int v) {
            k = v;
            return this;
        }

        public Builder kRange(int min, int max) {
            kMin = min;
            kMax = max;
            return this;
        }

        public Builder algorithm(Algorithm v) {
            algorithm = v;
            return this;
        }

        public Builder raw(boolean v) {
            raw = v;
            return this;
        }

        public Builder unitLength(boolean v) {
            unitLength = v;
            return this;
        }

        public Builder restarts(int v) {
            restarts = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public ClusterConfig build() {
            return new ClusterConfig(k, kMin, kMax, algorithm, raw, unitLength, restarts, silhouetteRows, seed);
        }
    }
}
