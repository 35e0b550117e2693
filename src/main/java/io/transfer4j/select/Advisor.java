package io.transfer4j.select;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneLocator;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.data.TextDataset;
import io.transfer4j.train.Strategy;
import io.transfer4j.util.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Recommends a backbone and a strategy for a labelled dataset and a time budget: backbones are
 * ranked by LogME on their frozen features, the fine-tuning cost is measured on this machine (two
 * real training steps of the chosen backbone), and the strategy follows from the labels per class,
 * how well the frozen features already separate the classes, and what fits in the budget.
 */
public final class Advisor {
    /** Fewer labels per class than this: a linear probe (fine-tuning millions of weights overfits). */
    static final int FEW_LABELS = 16;
    /** Frozen features whose 10-NN accuracy is this high leave fine-tuning little to gain. */
    static final double SEPARABLE = 0.92;
    /** Epochs a fine-tuning run takes by default. */
    static final int EPOCHS = 3;
    /**
     * Epoch time of each strategy relative to full fine-tuning, measured on MiniLM (demo data,
     * 260 texts, 2 epochs): lora 17.0 s, bitfit 16.7 s, partial 16.0 s vs full 20.0 s per epoch.
     */
    static final double LORA_COST = 0.85;
    /** Layers of the best backbone scored for the cut, evenly spaced (one forward pass for all). */
    static final int LAYERS = 6;
    /** An inner layer must beat the backbone's output by this much LogME to be worth cutting at. */
    static final double LAYER_MARGIN = 0.01;

    private final BackboneCatalogue catalogue;
    private final Progress progress;
    private final int maxLength;

    public Advisor(BackboneCatalogue catalogue, Progress progress, int maxLength) {
        this.catalogue = catalogue;
        this.progress = progress;
        this.maxLength = maxLength;
    }

    /** The recommendation and everything it rests on. */
    public record Advice(String backbone, Strategy.Kind strategy, List<String> reasons, List<BackboneScore> ranking,
            List<BackboneScore> layers, int trainExamples, int minPerClass, double secondsPerExampleFullTuning,
            double estimatedFullMinutes, double estimatedLoraMinutes) {}

    public Advice advise(TextDataset data, List<String> candidates, Duration budget) {
        List<BackboneScore> ranking = new Ranker(catalogue, progress, maxLength).rank(data, candidates);
        BackboneScore best = ranking.get(0);
        List<String> reasons = new ArrayList<>();
        reasons.add(String.format(Locale.ROOT, "%s has the highest LogME (%.4f) of %d candidates on these labels%s", best.backbone(),
                best.logMe(), ranking.size(), ranking.size() > 1 ? String.format(Locale.ROOT, "; next: %s at %.4f%s",
                        ranking.get(1).backbone(), ranking.get(1).logMe(),
                        best.logMe() - ranking.get(1).logMe() < 0.01 ? " (a close call: try both)" : "") : ""));
        int n = data.size();
        int minPerClass = Collections.min(data.classCounts().values());
        // the training split is 85% of the data: the validation 15% is held out for early stopping
        int trainN = (int) Math.round(n * 0.85);
        BackboneSpec spec = catalogue.resolve(best.backbone());
        BackboneFiles files = BackboneLocator.standard().locate(spec);
        int len = Math.min(128, spec.maxLength());
        StepCost.Result step = StepCost.run(files, spec.width() > 0 ? spec.width() : best.width(), 16, len, 1, 1, null);
        double perExample = step.medianStepMs() / 1000.0 / 16;
        double fullMin = EPOCHS * trainN * perExample / 60;
        double loraMin = fullMin * LORA_COST;
        double budgetMin = budget.toSeconds() / 60.0;
        Strategy.Kind kind;
        if (minPerClass < FEW_LABELS) {
            kind = Strategy.Kind.LINEAR_PROBE;
            reasons.add("the smallest class has " + minPerClass + " examples (< " + FEW_LABELS
                    + "): fine-tuning millions of weights on so few labels overfits; a linear probe on frozen features is the safe choice");
        } else if (best.knnAccuracy() >= SEPARABLE) {
            kind = Strategy.Kind.LINEAR_PROBE;
            reasons.add(String.format(Locale.ROOT, "the frozen features already separate the classes (10-NN accuracy %.1f%%): "
                    + "fine-tuning has little room to gain and costs %.0f minutes", 100 * best.knnAccuracy(), fullMin));
        } else if (fullMin <= budgetMin) {
            kind = Strategy.Kind.FULL;
            reasons.add(String.format(Locale.ROOT, "10-NN accuracy on frozen features is %.1f%%, so the features leave room to "
                    + "adapt; full fine-tuning of %d examples x %d epochs is estimated at %.1f minutes (measured %.3f s per example "
                    + "here), within the %.0f-minute budget", 100 * best.knnAccuracy(), trainN, EPOCHS, fullMin, perExample, budgetMin));
        } else if (loraMin <= budgetMin) {
            kind = Strategy.Kind.LORA;
            reasons.add(String.format(Locale.ROOT, "full fine-tuning is estimated at %.1f minutes, over the %.0f-minute budget; "
                    + "LoRA trains about 1.5%% of the weights at about %.1f minutes", fullMin, budgetMin, loraMin));
        } else {
            kind = Strategy.Kind.LINEAR_PROBE;
            reasons.add(String.format(Locale.ROOT, "fine-tuning is estimated at %.1f minutes (LoRA %.1f), over the %.0f-minute "
                    + "budget; a linear probe takes seconds once features are cached", fullMin, loraMin, budgetMin));
        }
        String backbone = best.backbone();
        List<BackboneScore> layers = new Ranker(catalogue, progress, maxLength)
                .rank(data, List.of(best.backbone()), LAYERS, null, 42).candidates();
        BackboneScore bestLayer = layers.get(0);
        if (kind == Strategy.Kind.LINEAR_PROBE && bestLayer.logMe() > best.logMe() + LAYER_MARGIN) {
            backbone = bestLayer.backbone();
            reasons.add(String.format(Locale.ROOT, "cut the backbone after an inner layer: %s scores LogME %.4f against %.4f for "
                    + "the whole network, so these labels are closer to its lower, more general features (and the cut runs faster)",
                    bestLayer.backbone(), bestLayer.logMe(), best.logMe()));
        } else {
            BackboneScore bestInner = layers.stream().filter(l -> l != lastLayer(layers)).findFirst().orElse(bestLayer);
            reasons.add(String.format(Locale.ROOT, "keep every layer: the best inner layer (%s, LogME %.4f) does not beat the whole "
                    + "network (%.4f) by %.2f%s", bestInner.backbone(), bestInner.logMe(), best.logMe(), LAYER_MARGIN,
                    kind == Strategy.Kind.LINEAR_PROBE ? "" : ", and fine-tuning adapts the upper layers anyway"));
        }
        if (best.knnAccuracy() < majorityShare(data) + 0.05) {
            reasons.add(String.format(Locale.ROOT, "warning: frozen features barely beat always predicting the majority class "
                    + "(10-NN %.1f%% vs %.1f%%): this domain is far from the backbone's pre-training; expect little from a linear "
                    + "probe and compare with the scratch baseline (train does)", 100 * best.knnAccuracy(), 100 * majorityShare(data)));
        }
        return new Advice(backbone, kind, reasons, ranking, layers, trainN, minPerClass, perExample, fullMin, loraMin);
    }

    /** The scored layer with the highest index: the whole network's own output. */
    private static BackboneScore lastLayer(List<BackboneScore> layers) {
        return layers.stream().max(java.util.Comparator.comparingInt(l -> layerIndex(l.backbone()))).orElseThrow();
    }

    private static int layerIndex(String id) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)$").matcher(id);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static double majorityShare(TextDataset data) {
        return (double) Collections.max(data.classCounts().values()) / data.size();
    }
}
