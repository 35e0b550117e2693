package io.transfer4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Few-shot episodes as the training loop's rows: row {@code e} is the episode {@code sampler}
 * draws with the seed {@code (seed, e)}. Its batch is the support rows (class by class, {@code shots}
 * each) followed by the query rows (class by class, {@code queries} each), both through
 * {@code rows.batch}, so the inputs are exactly what the modality feeds any network (augmented when
 * its rows augment). The loop then runs one episode per micro-batch.
 */
public final class EpisodeRows implements Rows {
    private final Rows rows;
    private final EpisodeSampler sampler;
    private final int ways;
    private final int shots;
    private final int queries;
    private final int episodes;
    private final long seed;

    public EpisodeRows(Rows rows, int[] labels, int classes, int ways, int shots, int queries, int episodes, long seed, String what) {
        this.rows = rows;
        this.sampler = new EpisodeSampler(labels, classes, ways, shots, queries, what);
        this.ways = ways;
        this.shots = shots;
        this.queries = queries;
        this.episodes = episodes;
        this.seed = seed;
    }

    @Override
    public int size() {
        return episodes;
    }

    @Override
    public NDList batch(NDManager manager, int[] episodeRows) {
        if (episodeRows.length != 1) {
            throw new IllegalStateException("episodes train one per micro-batch (batch size 1); got " + episodeRows.length);
        }
        int[] all = sampler.draw(seed * 1_000_003L + episodeRows[0]);
        int split = ways * shots;
        NDList support = rows.batch(manager, java.util.Arrays.copyOfRange(all, 0, split));
        NDList query = rows.batch(manager, java.util.Arrays.copyOfRange(all, split, all.length));
        NDList out = new NDList();
        out.addAll(support);
        out.addAll(query);
        return out;
    }

    @Override
    public Shape[] shapes(int n) {
        Shape[] s = rows.shapes(ways * shots);
        Shape[] q = rows.shapes(ways * queries);
        Shape[] out = new Shape[s.length + q.length];
        System.arraycopy(s, 0, out, 0, s.length);
        System.arraycopy(q, 0, out, s.length, q.length);
        return out;
    }
}
