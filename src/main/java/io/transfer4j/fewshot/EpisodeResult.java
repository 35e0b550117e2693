package io.transfer4j.fewshot;

import java.util.List;
import java.util.Map;

/**
 * Episodic accuracy per shot count: the mean over episodes with its 95% interval
 * ({@code 1.96 sd / sqrt(episodes)}, the field's convention), and what adapting cost.
 *
 * @param classes the classes episodes drew from (each had enough rows for shots plus queries)
 * @param featureMillis reading every row's features once, before the episodes
 */
public record EpisodeResult(String method, String source, int ways, int queries, int episodes, boolean transductive, long seed,
        List<String> classes, long featureMillis, List<PerShots> results) {
    public EpisodeResult {
        classes = List.copyOf(classes);
        results = List.copyOf(results);
    }

    /**
     * @param chosen how often each method was used (more than one only under auto)
     * @param adaptMillisMedian median time to adapt to one episode's support rows (features already read)
     */
    public record PerShots(int shots, double meanAccuracy, double ci95, double sd, double adaptMillisMedian, Map<String, Integer> chosen) {}

    /** A plain-text table for the terminal. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%s, %d-way, %d queries per class, %d episodes%s, seed %d (classes: %s)%n", method, ways, queries, episodes,
                transductive ? ", transductive" : "", seed, String.join(", ", classes)));
        sb.append(String.format(java.util.Locale.ROOT, "%-6s %-16s %-12s %s%n", "shots", "accuracy", "adapt (ms)", "methods used"));
        for (PerShots r : results) {
            sb.append(String.format(java.util.Locale.ROOT, "%-6d %5.2f%% +- %-6s %-12.1f %s%n", r.shots(), 100 * r.meanAccuracy(),
                    String.format(java.util.Locale.ROOT, "%.2f", 100 * r.ci95()), r.adaptMillisMedian(), r.chosen()));
        }
        return sb.toString();
    }
}
