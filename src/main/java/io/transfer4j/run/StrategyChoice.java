package io.transfer4j.run;

import java.util.List;

/**
 * How an {@code auto} choice was made: every candidate trained on the same rows and judged on
 * held-out rows that are never the test split (a validation split; for few-shot, held-out shots).
 *
 * @param chosen the kept strategy's (or few-shot method's) id
 * @param criterion what the candidates were judged by, in words
 * @param reason why the choice was made without candidates, when it was (e.g. one shot per class); null otherwise
 */
public record StrategyChoice(String chosen, List<Candidate> candidates, String criterion, String reason) {
    public static final String VALIDATION = "validation accuracy";

    public StrategyChoice {
        candidates = List.copyOf(candidates);
        criterion = criterion == null ? VALIDATION : criterion;
    }

    public StrategyChoice(String chosen, List<Candidate> candidates) {
        this(chosen, candidates, VALIDATION, null);
    }

    /** One candidate's held-out accuracy and loss, and what training it cost. */
    public record Candidate(String strategy, double validationAccuracy, double validationLoss, long trainMillis) {}

    /** One line for the report. */
    public String describe() {
        String who = VALIDATION.equals(criterion) ? "strategy auto" : "method auto";
        if (reason != null) {
            return who + " chose " + chosen + ": " + reason + " -- the test split played no part";
        }
        StringBuilder sb = new StringBuilder(who + " chose " + chosen + " by " + criterion + ":");
        for (Candidate c : candidates) {
            sb.append(String.format(java.util.Locale.ROOT, " %s %.1f%% (loss %.3f, %.1f s);", c.strategy(), 100 * c.validationAccuracy(),
                    c.validationLoss(), c.trainMillis() / 1000.0));
        }
        sb.setLength(sb.length() - 1);
        return sb.append(" -- the test split played no part").toString();
    }
}
