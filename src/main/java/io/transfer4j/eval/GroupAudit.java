package io.transfer4j.eval;

import io.transfer4j.data.LabelMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * One model's quality per group of a held-out set (a bias audit): accuracy, true-positive rate and
 * false-positive rate in each group, and the largest gap between groups for each. With two
 * classes the rates are those of the positive class (the second label in label order, e.g.
 * "positive" or "spam"); with more, the mean over classes of the one-vs-rest rates.
 *
 * @param positiveClass the class the rates are about; "macro over classes" with more than two
 */
public record GroupAudit(String model, String positiveClass, List<Group> groups, Gap accuracy, Gap truePositiveRate,
        Gap falsePositiveRate) {

    /** A rate is NaN when the group has no example it is defined on (no positives, or no negatives). */
    public record Group(String name, int size, double accuracy, double truePositiveRate, double falsePositiveRate) {}

    /** Highest minus lowest value over the groups where it is defined; 0 with fewer than two such groups. */
    public record Gap(double value, String highest, String lowest) {}

    public static GroupAudit of(String model, int[] truth, int[] predicted, List<String> groupOf, LabelMap labels) {
        if (truth.length != predicted.length || truth.length != groupOf.size() || truth.length == 0) {
            throw new IllegalArgumentException("need equally many (>0) true labels, predictions and groups");
        }
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < truth.length; i++) {
            members.computeIfAbsent(groupOf.get(i), k -> new ArrayList<>()).add(i);
        }
        int k = labels.size();
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            List<Integer> idx = e.getValue();
            int right = 0;
            for (int i : idx) {
                right += truth[i] == predicted[i] ? 1 : 0;
            }
            double tpr;
            double fpr;
            if (k == 2) {
                tpr = rate(idx, truth, predicted, 1, true);
                fpr = rate(idx, truth, predicted, 1, false);
            } else {
                tpr = macro(idx, truth, predicted, k, true);
                fpr = macro(idx, truth, predicted, k, false);
            }
            groups.add(new Group(e.getKey(), idx.size(), (double) right / idx.size(), tpr, fpr));
        }
        return new GroupAudit(model, k == 2 ? labels.name(1) : "macro over classes", groups, gap(groups, Group::accuracy),
                gap(groups, Group::truePositiveRate), gap(groups, Group::falsePositiveRate));
    }

    /** Among the group's examples of class c (truePositive) or not of class c: the share predicted c. */
    private static double rate(List<Integer> idx, int[] truth, int[] predicted, int c, boolean truePositive) {
        int n = 0;
        int hit = 0;
        for (int i : idx) {
            if ((truth[i] == c) == truePositive) {
                n++;
                hit += predicted[i] == c ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) hit / n;
    }

    private static double macro(List<Integer> idx, int[] truth, int[] predicted, int k, boolean truePositive) {
        double sum = 0;
        int defined = 0;
        for (int c = 0; c < k; c++) {
            double r = rate(idx, truth, predicted, c, truePositive);
            if (!Double.isNaN(r)) {
                sum += r;
                defined++;
            }
        }
        return defined == 0 ? Double.NaN : sum / defined;
    }

    private static Gap gap(List<Group> groups, ToDoubleFunction<Group> f) {
        Group hi = null;
        Group lo = null;
        for (Group g : groups) {
            double v = f.applyAsDouble(g);
            if (Double.isNaN(v)) {
                continue;
            }
            if (hi == null || v > f.applyAsDouble(hi)) {
                hi = g;
            }
            if (lo == null || v < f.applyAsDouble(lo)) {
                lo = g;
            }
        }
        if (hi == null || hi == lo) {
            return new Gap(0, hi == null ? "" : hi.name(), lo == null ? "" : lo.name());
        }
        return new Gap(f.applyAsDouble(hi) - f.applyAsDouble(lo), hi.name(), lo.name());
    }
}
