package io.transfer4j.pipeline;

import io.transfer4j.data.LabelMap;
import io.transfer4j.data.Labelled;
import io.transfer4j.data.Split;
import io.transfer4j.model.Classifier;
import io.transfer4j.run.RunSettings;
import io.transfer4j.run.StrategyChoice;
import io.transfer4j.train.Strategy;
import java.util.ArrayList;
import java.util.List;

/**
 * The transferred model under the configured strategy, or, for {@code auto}, under each of the
 * modality's candidates in turn on the same split, keeping the one with the best validation
 * accuracy (lower validation loss breaks a tie, then the cheaper candidate): model selection on
 * data the test never sees, for every modality and every caller (run, guard, audit, curve).
 */
public final class StrategySelection {
    private StrategySelection() {}

    /**
     * What a CNN-like backbone's {@code auto} tries (images, audio): the probe, partial and full
     * fine-tuning, since which wins depends on how far the target is from the source; a fresh
     * network has nothing to probe or keep, so it trains in full.
     */
    public static List<Strategy> probePartialFull(boolean pretrained) {
        if (!pretrained) {
            return List.of(Strategy.of(Strategy.Kind.FULL));
        }
        return List.of(Strategy.of(Strategy.Kind.LINEAR_PROBE), Strategy.of(Strategy.Kind.PARTIAL), Strategy.of(Strategy.Kind.FULL));
    }

    static <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> Trained<M> transfer(
            Modality<D, M, C> modality, C config, Split<D> split, LabelMap labels, Context context) {
        Strategy asked = config.strategy();
        if (asked.kind() != Strategy.Kind.AUTO) {
            return modality.transfer(config, split, labels, context);
        }
        List<Strategy> candidates = modality.autoCandidates(config);
        if (candidates.size() == 1) {
            return modality.transfer(config.withStrategy(candidates.get(0)), split, labels, context);
        }
        Trained<M> best = null;
        String chosen = null;
        List<StrategyChoice.Candidate> tried = new ArrayList<>();
        try {
            for (Strategy s : candidates) {
                // the user's freeze and LoRA settings carry over to the candidates that use them
                Strategy candidate = s.withFreeze(asked.freezeGroups(), asked.freezePattern())
                        .withLora(asked.loraRank(), asked.loraAlpha(), asked.loraTargets());
                Trained<M> t = modality.transfer(config.withStrategy(candidate), split, labels, context);
                tried.add(new StrategyChoice.Candidate(s.kind().id(), t.fit().bestValidationAccuracy(), t.fit().bestValidationLoss(),
                        t.trainMillis()));
                if (best == null || better(t, best)) {
                    if (best != null) {
                        best.close();
                    }
                    best = t;
                    chosen = s.kind().id();
                } else {
                    t.close();
                }
            }
        } catch (RuntimeException e) {
            if (best != null) {
                best.close();
            }
            throw e;
        }
        if (best == null) {
            throw new IllegalStateException("the modality offers no candidate strategy for auto");
        }
        return best.withChoice(new StrategyChoice(chosen, tried));
    }

    private static boolean better(Trained<?> a, Trained<?> b) {
        double da = a.fit().bestValidationAccuracy() - b.fit().bestValidationAccuracy();
        if (Math.abs(da) > 1e-12) {
            return da > 0;
        }
        return a.fit().bestValidationLoss() < b.fit().bestValidationLoss() - 1e-12;
    }
}
