package io.transfer4j.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * A clustering of rows in a feature space.
 *
 * @param features what was clustered ("frozen minilm", "raw TF-IDF")
 * @param kChoice the mean silhouette of each k tried (empty when k was given)
 * @param silhouette the kept partition's mean silhouette (on a sample of {@code silhouetteRows})
 * @param nmi against the rows' labels (NaN without labels); equal to the V-measure
 * @param ari the adjusted Rand index against the labels (NaN without labels)
 * @param clusters each cluster's size, majority label (null without labels) and its rows nearest the centre
 */
public record ClusterRun(String source, int rows, String features, String algorithm, int k, List<KScore> kChoice, double silhouette,
        int silhouetteRows, double nmi, double ari, List<Cluster> clusters, long seed, long featureMillis, long clusterMillis,
        @JsonIgnore int[] assignment) {

    public record KScore(int k, double silhouette) {}

    public record Cluster(int id, int size, String majorityLabel, double majorityShare, List<String> nearestToCentre) {}

    public boolean labelled() {
        return !Double.isNaN(nmi);
    }
}
