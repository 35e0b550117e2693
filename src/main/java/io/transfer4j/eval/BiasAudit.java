package io.transfer4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bias audit of a run: each model's {@link GroupAudit} on the same held-out texts, side by
 * side, and a warning for every gap a transferred model widens over the scratch baseline by more
 * than {@link #WIDENING} (pre-trained models carry their source data's associations into the task).
 *
 * @param baseline the model the others are compared with (the scratch baseline)
 */
public record BiasAudit(String baseline, List<GroupAudit> models, List<String> warnings) {
    /** A widening below 2 points is within what resampling the test set moves a gap by on a few hundred texts. */
    public static final double WIDENING = 0.02;

    public static BiasAudit of(GroupAudit baseline, List<GroupAudit> transferred) {
        List<GroupAudit> all = new ArrayList<>();
        all.add(baseline);
        all.addAll(transferred);
        List<String> warnings = new ArrayList<>();
        for (GroupAudit a : transferred) {
            widened(warnings, a, baseline, "accuracy", a.accuracy(), baseline.accuracy());
            widened(warnings, a, baseline, "true-positive rate", a.truePositiveRate(), baseline.truePositiveRate());
            widened(warnings, a, baseline, "false-positive rate", a.falsePositiveRate(), baseline.falsePositiveRate());
        }
        return new BiasAudit(baseline.model(), all, warnings);
    }

    private static void widened(List<String> out, GroupAudit a, GroupAudit base, String what, GroupAudit.Gap gap,
            GroupAudit.Gap baseGap) {
        if (gap.value() - baseGap.value() > WIDENING) {
            out.add(String.format(Locale.ROOT, "BIAS: %s widens the %s gap between groups from %.1f to %.1f points "
                    + "(%s %s vs %s) over %s; check the groups' sizes and examples, and consider balancing the training data "
                    + "or another backbone", a.model(), what, 100 * baseGap.value(), 100 * gap.value(),
                    what, gap.highest(), gap.lowest(), base.model()));
        }
    }
}
