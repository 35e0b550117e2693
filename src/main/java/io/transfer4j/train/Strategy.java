package io.transfer4j.train;

import io.transfer4j.util.UserException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which parameters train in which epoch, and at what share of the learning rate. Every strategy
 * trains the head; they differ in what of the pre-trained body they let move.
 *
 * @param freezeGroups PARTIAL: body groups frozen from the input up; -1 = the lower half
 * @param freezePattern PARTIAL: also freeze parameters whose name or group matches this regex
 * @param loraRank LORA: rank r of the adapters
 * @param loraAlpha LORA: scale alpha (the update is alpha/r · A·B)
 * @param loraTargets LORA: regex over weight names and consuming node names choosing the adapted
 *     weights; empty = every MatMul/Gemm weight inside the encoder layers
 */
public record Strategy(Kind kind, int freezeGroups, String freezePattern, int loraRank, float loraAlpha,
        String loraTargets) {

    public enum Kind {
        /** Frozen backbone, features computed once, a head trained on them. */
        LINEAR_PROBE,
        /** Freeze the first k groups (or a pattern); train the rest and the head. */
        PARTIAL,
        /** Everything trains. */
        FULL,
        /** ULMFiT: start with the top groups, unfreeze further down each epoch. */
        GRADUAL,
        /** Linear probe to convergence first, then full fine-tuning from that head. */
        LP_FT,
        /** Low-rank adapters on chosen weight matrices; the pre-trained weights stay frozen. */
        LORA,
        /** Biases only (and the head). */
        BITFIT,
        /**
         * Each of the modality's candidate strategies trained on the same split, the one with the
         * best validation accuracy kept (ties to the cheaper, listed first); the test split is never seen.
         */
        AUTO;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Strategy {
        freezePattern = freezePattern == null ? "" : freezePattern;
        loraTargets = loraTargets == null ? "" : loraTargets;
        if (loraRank <= 0 || loraAlpha <= 0) {
            throw new UserException("LoRA rank and alpha must be positive (got " + loraRank + ", " + loraAlpha + ")");
        }
        if (freezeGroups < -1) {
            throw new UserException("--freeze must be >= 0 (got " + freezeGroups + ")");
        }
    }

    public static Strategy of(Kind kind) {
        return new Strategy(kind, -1, "", 8, 16, "");
    }

    public static Strategy parse(String id) {
        for (Kind k : Kind.values()) {
            if (k.id().equals(id.toLowerCase(Locale.ROOT)) || k.name().equalsIgnoreCase(id)) {
                return of(k);
            }
        }
        throw new UserException("unknown strategy '" + id + "'; choose linear-probe, partial, full, gradual, lp-ft, lora, bitfit or auto");
    }

    public Strategy withFreeze(int groups, String pattern) {
        return new Strategy(kind, groups, pattern, loraRank, loraAlpha, loraTargets);
    }

    public Strategy withLora(int rank, float alpha, String targets) {
        return new Strategy(kind, freezeGroups, freezePattern, rank, alpha, targets);
    }

    /** Whether the backbone's weights are run by the training loop (every strategy but the linear probe; auto may). */
    public boolean tunesBackbone() {
        return kind != Kind.LINEAR_PROBE;
    }

    /**
     * For epoch {@code epoch} (1-based) of {@code epochs}: trainable parameter key to its
     * learning-rate factor; parameters absent are frozen.
     */
    public Map<String, Float> phase(ParameterTable table, int epoch, int epochs, float layerDecay) {
        int body = table.bodyGroups();
        int frozenBelow = switch (kind) {
            case PARTIAL -> freezeGroups >= 0 ? Math.min(freezeGroups, body) : body / 2;
            case GRADUAL -> body - (int) Math.ceil((double) epoch * body / Math.max(1, epochs));
            case LINEAR_PROBE -> body;
            default -> 0;
        };
        Pattern frozenPattern = kind == Kind.PARTIAL && !freezePattern.isEmpty() ? Pattern.compile(freezePattern) : null;
        Map<String, Float> out = new LinkedHashMap<>();
        for (TunedParameter t : table.entries()) {
            if (t.isState()) {
                continue;
            }
            boolean train = switch (t.role()) {
                case HEAD -> true;
                case ADAPTER -> kind == Kind.LORA;
                case BODY -> switch (kind) {
                    case FULL, LP_FT -> true;
                    case PARTIAL -> t.depth() >= frozenBelow
                            && (frozenPattern == null || !(frozenPattern.matcher(t.parameter().getName()).find()
                                    || frozenPattern.matcher(t.group()).find()));
                    case GRADUAL -> t.depth() >= frozenBelow;
                    case BITFIT -> t.isBias();
                    case LORA, LINEAR_PROBE, AUTO -> false;
                };
            };
            if (train) {
                float scale = t.role() == TunedParameter.Role.HEAD ? 1f : (float) Math.pow(layerDecay, body - t.depth());
                out.put(t.key(), scale);
            }
        }
        return out;
    }
}
