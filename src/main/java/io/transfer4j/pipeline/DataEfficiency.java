package io.transfer4j.pipeline;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.data.Split;
import io.transfer4j.data.StratifiedSplitter;
import io.transfer4j.eval.Metrics;
import io.transfer4j.eval.SeedComparison;
import io.transfer4j.model.Classifier;
import io.transfer4j.run.RunSettings;
import io.transfer4j.train.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data-efficiency curve, for any modality: at each label budget (rows per class drawn from a
 * pool, 20% of them kept for validation) and seed, the modality's scratch baseline and the
 * backbone transferred under each strategy, all scored on the same held-out rows. Each seed draws
 * its own budget sample and split, shared by every method at that seed.
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
    public record Row(int perClass, int trainRows, Map<String, Cell> cells, String best, SeedComparison bestVsScratch) {}

    public record Curve(String backbone, List<Long> seeds, List<Row> rows) {}

    /**
     * @param pipeline the modality, backbone and configuration; its strategy is replaced by each of {@code strategies}
     * @param pool rows the budgets are drawn from
     * @param test held-out rows every model is scored on
     */
    public static <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> Curve run(Pipeline<D, M, C> pipeline,
            String backbone, D pool, D test, int[] budgets, List<Strategy> strategies, List<Long> seeds) {
        Modality<D, M, C> modality = pipeline.modality();
        Context context = pipeline.context();
        List<Row> rows = new ArrayList<>();
        for (int budget : budgets) {
            Map<String, List<Double>> acc = new LinkedHashMap<>();
            int trainRows = 0;
            for (long seed : seeds) {
                D sample = pool.perClass(budget, seed);
                Split<D> s = new StratifiedSplitter(VALIDATION, 0, seed).split(sample);
                Split<D> split = new Split<>(s.train(), s.validation(), test);
                trainRows = split.train().size();
                LabelMap labels = split.train().labelMap();
                int[] truth = test.labelIndices(labels);
                C cfg = pipeline.config().withSeed(seed);
                try (Trained<? extends Classifier<D>> scratch = modality.scratch(cfg, split, labels, context)) {
                    if (scratch != null) {
                        acc.computeIfAbsent("scratch", k -> new ArrayList<>()).add(accuracy(scratch, test, truth, labels, context));
                    }
                }
                for (Strategy st : strategies) {
                    try (Trained<M> t = StrategySelection.transfer(modality, cfg.withStrategy(st), split, labels, context)) {
                        acc.computeIfAbsent(st.kind().id(), k -> new ArrayList<>()).add(accuracy(t, test, truth, labels, context));
                    }
                }
            }
            Map<String, Cell> cells = new LinkedHashMap<>();
            acc.forEach((m, a) -> cells.put(m, Cell.of(m, a)));
            String best = cells.values().stream().filter(c -> !c.method().equals("scratch"))
                    .max(java.util.Comparator.comparingDouble(Cell::mean)).map(Cell::method).orElse(null);
            SeedComparison vs = best != null && seeds.size() > 1 && acc.containsKey("scratch")
                    ? SeedComparison.of(seeds, acc.get(best), acc.get("scratch")) : null;
            rows.add(new Row(budget, trainRows, cells, best, vs));
        }
        return new Curve(backbone, List.copyOf(seeds), rows);
    }

    @SuppressWarnings("unchecked")
    private static <D extends Labelled<D>> double accuracy(Trained<?> t, D test, int[] truth, LabelMap labels, Context context) {
        int[] pred = t.testPredictions() != null ? t.testPredictions()
                : ((Classifier<D>) t.model()).predict(test, context.progress());
        return Metrics.compute(truth, pred, labels).accuracy();
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
