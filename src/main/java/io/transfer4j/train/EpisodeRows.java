package io.transfer4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Few-shot episodes as the training loop's rows: row {@code e} is one N-way task drawn from the
 * labelled {@code rows} with a generator seeded by {@code (seed, e)}: {@code ways} classes, then
 * {@code shots} support and {@code queries} query rows of each, all distinct. Its batch is the
 * support rows (class by class, {@code shots} each) followed by the query rows (class by class,
 * {@code queries} each), both through {@code rows.batch}, so the inputs are exactly what the modality
 * feeds any network (augmented when its rows augment). The loop then runs one episode per micro-batch.
 */
public final class EpisodeRows implements Rows {
    private final Rows rows;
    private final List<List<Integer>> byClass = new ArrayList<>();
    private final int ways;
    private final int shots;
    private final int queries;
    private final int episodes;
    private final long seed;

    public EpisodeRows(Rows rows, int[] labels, int classes, int ways, int shots, int queries, int episodes, long seed) {
        this.rows = rows;
        this.ways = ways;
        this.shots = shots;
        this.queries = queries;
        this.episodes = episodes;
        this.seed = seed;
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        byClass.removeIf(r -> r.size() < shots + queries);
        if (byClass.size() < ways) {
            throw new io.transfer4j.util.UserException(ways + "-way episodes need " + ways + " classes with at least " + (shots + queries)
                    + " rows each (shots + queries); only " + byClass.size() + " have as many: lower --ways, --shots or --queries");
        }
    }

    public int ways() {
        return ways;
    }

    public int shots() {
        return shots;
    }

    public int queries() {
        return queries;
    }

    @Override
    public int size() {
        return episodes;
    }

    /** Episode {@code e}'s rows: support (class by class) then queries (class by class). */
    int[] draw(int e) {
        Random r = new Random(seed * 1_000_003L + e);
        List<List<Integer>> classes = new ArrayList<>(byClass);
        Collections.shuffle(classes, r);
        int[] out = new int[ways * (shots + queries)];
        for (int c = 0; c < ways; c++) {
            List<Integer> rowsOf = new ArrayList<>(classes.get(c));
            Collections.shuffle(rowsOf, r);
            for (int j = 0; j < shots; j++) {
                out[c * shots + j] = rowsOf.get(j);
            }
            for (int j = 0; j < queries; j++) {
                out[ways * shots + c * queries + j] = rowsOf.get(shots + j);
            }
        }
        return out;
    }

    @Override
    public NDList batch(NDManager manager, int[] episodeRows) {
        if (episodeRows.length != 1) {
            throw new IllegalStateException("episodes train one per micro-batch (batch size 1); got " + episodeRows.length);
        }
        int[] all = draw(episodeRows[0]);
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
