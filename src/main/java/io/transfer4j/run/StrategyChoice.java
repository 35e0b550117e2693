package io.transfer4j.run;

import java.util.List;

/**
 * How {@code --strategy auto} chose: every candidate trained on the same split, judged on the
 * validation part only.
 *
 * @param chosen the kept strategy's id
 */
public record StrategyChoice(String chosen, List<Candidate> candidates) {
    public StrategyChoice {
        candidates = List.copyOf(candidates);
    }

    /** One candidate's best validation accuracy and loss, and what training it cost. */
    public record Candidate(String strategy, double validationAccuracy, double validationLoss, long trainMillis) {}

    /** One line for the report. */
    public String describe() {
        StringBuilder sb = new StringBuilder("strategy auto chose " + chosen + " by validation accuracy:");
        for (Candidate c : candidates) {
            sb.append(String.format(java.util.Locale.ROOT, " %s %.1f%% (loss %.3f, %.1f s);", c.strategy(), 100 * c.validationAccuracy(),
                    c.validationLoss(), c.trainMillis() / 1000.0));
        }
        sb.setLength(sb.length() - 1);
        return sb.append(" -- the test split played no part").toString();
    }
}
