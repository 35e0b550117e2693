package io.transfer4j;

import io.transfer4j.run.ImageRunConfig;
import io.transfer4j.run.ImageRun;
import io.transfer4j.backbone.ImageBackbone;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.eval.SeedComparison;
import io.transfer4j.train.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data-efficiency curve: at each label budget (images per class drawn from a pool, 20% of
 * them kept for validation) and seed, a network trained from scratch and the backbone transferred
 * under each strategy, all scored on the same held-out images. Each seed draws its own budget
 * sample and split, shared by every method at that seed.
 */
public final class DataEfficiency {
    static final double VALIDATION = 0.2;

    private DataEfficiency() {}

    /** One method at one budget: its accuracy per seed, mean and 95% t-interval. */
    public record Cell(String method, List<Double> accuracy, double mean, double low95, double high95) {
        static Cell of(String method, List<Double> acc) {
            // the t-interval of the mean accuracy is that of its paired difference with zero
            SeedComparison c = acc.size() > 1 ? SeedComparison.of(seeds(acc.size()), acc, zeros(acc.size())) : null;
            double mean = acc.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            return new Cell(method, List.copyOf(acc), mean, c == null ? mean : c.gainLow95(), c == null ? mean : c.gainHigh95());
        }
    }

    /** One budget: every method's cell and the best transfer's paired gain over scratch. */
    public record Row(int perClass, int trainImages, Map<String, Cell> cells, String best, SeedComparison bestVsScratch) {}

    public record Curve(String backbone, List<Long> seeds, List<Row> rows) {}

    public static Curve run(ImageTransfer base, ImageBackbone backbone, ImageDataset pool, ImageDataset test, int[] budgets,
            List<Strategy> strategies, List<Long> seeds) {
        List<Row> rows = new ArrayList<>();
        for (int budget : budgets) {
            Map<String, List<Double>> acc = new LinkedHashMap<>();
            int trainImages = 0;
            for (long seed : seeds) {
                ImageDataset sample = pool.perClass(budget, seed);
                List<ImageDataset> split = sample.split(VALIDATION, 0, seed);
                trainImages = split.get(0).size();
                ImageRunConfig cfg = base.config().withSeed(seed).withScratch(false);
                String arch = cfg.scratchArchFor(backbone);
                ImageBackbone fresh = base.freshBackbone(arch, split.get(0), seed);
                try (ImageRun r = new ImageTransfer(cfg.withStrategy(Strategy.of(Strategy.Kind.FULL)), base.progress())
                        .run(fresh, split.get(0), split.get(1), test, sample.contentHash())) {
                    acc.computeIfAbsent("scratch", k -> new ArrayList<>()).add(r.transfer().test().accuracy());
                }
                for (Strategy s : strategies) {
                    try (ImageRun r = new ImageTransfer(cfg.withStrategy(s), base.progress())
                            .run(backbone, split.get(0), split.get(1), test, sample.contentHash())) {
                        acc.computeIfAbsent(s.kind().id(), k -> new ArrayList<>()).add(r.transfer().test().accuracy());
                    }
                }
            }
            Map<String, Cell> cells = new LinkedHashMap<>();
            acc.forEach((m, a) -> cells.put(m, Cell.of(m, a)));
            String best = cells.values().stream().filter(c -> !c.method().equals("scratch"))
                    .max(java.util.Comparator.comparingDouble(Cell::mean)).map(Cell::method).orElse(null);
            SeedComparison vs = best != null && seeds.size() > 1 ? SeedComparison.of(seeds, acc.get(best), acc.get("scratch")) : null;
            rows.add(new Row(budget, trainImages, cells, best, vs));
        }
        return new Curve(backbone.id(), List.copyOf(seeds), rows);
    }

    private static List<Long> seeds(int n) {
        List<Long> s = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            s.add(i);
        }
        return s;
    }

    private static List<Double> zeros(int n) {
        return new ArrayList<>(java.util.Collections.nCopies(n, 0.0));
    }
}
