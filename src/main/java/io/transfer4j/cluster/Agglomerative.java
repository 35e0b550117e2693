package io.transfer4j.cluster;

/**
 * Agglomerative clustering with Ward's linkage (each merge the one that least increases the
 * within-cluster sum of squares), by the nearest-neighbour chain algorithm over the Lance-Williams
 * update of a dense distance matrix: O(n^2) time and memory, so it takes at most {@link #MAX_ROWS} rows.
 */
public final class Agglomerative {
    public static final int MAX_ROWS = 4000;

    private Agglomerative() {}

    /** Each row's cluster among {@code k}, cutting the Ward tree of {@code x}. */
    public static int[] ward(float[][] x, int k) {
        int n = x.length;
        if (n > MAX_ROWS) {
            throw new IllegalArgumentException(n + " rows exceed " + MAX_ROWS);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k = " + k + " for " + n + " rows");
        }
        // Lance-Williams for Ward works on squared Euclidean distances
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i][j] = d[j][i] = KMeans.squared(x[i], x[j]);
            }
        }
        int[] size = new int[n];
        boolean[] active = new boolean[n];
        int[] parent = new int[n]; // union-find over rows: each active cluster is named by one of its rows
        for (int i = 0; i < n; i++) {
            size[i] = 1;
            active[i] = true;
            parent[i] = i;
        }
        int clusters = n;
        int[] chain = new int[n];
        int top = 0;
        while (clusters > k) {
            if (top == 0) {
                for (int i = 0; i < n; i++) {
                    if (active[i]) {
                        chain[top++] = i;
                        break;
                    }
                }
            }
            int a = chain[top - 1];
            int prev = top >= 2 ? chain[top - 2] : -1;
            int b = -1;
            double min = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j != a && active[j] && (d[a][j] < min || (d[a][j] == min && j == prev))) {
                    min = d[a][j];
                    b = j;
                }
            }
            if (b == prev) {
                top -= 2;
                merge(d, size, active, parent, a, b, n);
                clusters--;
            } else {
                chain[top++] = b;
            }
        }
        int[] label = new int[n];
        java.util.Map<Integer, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            label[i] = ids.computeIfAbsent(root, r -> ids.size());
        }
        return label;
    }

    /** Merges b into a: Ward's Lance-Williams distances from the union to every other cluster. */
    private static void merge(double[][] d, int[] size, boolean[] active, int[] parent, int a, int b, int n) {
        for (int j = 0; j < n; j++) {
            if (!active[j] || j == a || j == b) {
                continue;
            }
            double t = size[a] + size[b] + size[j];
            double v = ((size[a] + size[j]) * d[a][j] + (size[b] + size[j]) * d[b][j] - size[j] * d[a][b]) / t;
            d[a][j] = d[j][a] = v;
        }
        size[a] += size[b];
        active[b] = false;
        parent[b] = a;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
