package io.transfer4j.train;

import io.transfer4j.onnx.Precision;
import io.transfer4j.util.UserException;
import java.util.Locale;

/**
 * How the loop turns gradients into updates, beyond the learning rate: the optimizer, the
 * schedule, the regularisers practitioners use when fine-tuning, and the number format of the
 * network's dense products (mixed precision, as torch.autocast sits next to the optimizer).
 *
 * @param weightDecay decoupled (AdamW) or coupled (SGD) decay, applied to weight matrices only:
 *     never to biases, norms, or frozen parameters
 * @param warmup fraction of all steps spent ramping the learning rate up from 0
 * @param clipNorm clip the global gradient norm to this value; 0 = off
 * @param accumulation micro-batches whose gradients are summed (averaged) before one update
 * @param labelSmoothing share of target mass spread evenly over all classes
 * @param l2sp strength of the pull (l2sp/2)·||w - w0||² towards the pre-trained weights
 * @param layerDecay learning-rate factor per parameter group below the head (1 = the same for all)
 * @param precision the imported network's MatMul/Gemm/Conv in fp32 or bf16 (AUTO: bf16 where the
 *     CPU has bf16 instructions); weights, optimizer state and everything else stay fp32
 */
public record Optimization(Kind kind, float momentum, float weightDecay, Schedule schedule, float warmup,
        float clipNorm, int accumulation, float labelSmoothing, float l2sp, float layerDecay, Precision precision) {

    /** In fp32. */
    public Optimization(Kind kind, float momentum, float weightDecay, Schedule schedule, float warmup, float clipNorm, int accumulation,
            float labelSmoothing, float l2sp, float layerDecay) {
        this(kind, momentum, weightDecay, schedule, warmup, clipNorm, accumulation, labelSmoothing, l2sp, layerDecay, Precision.FP32);
    }

    /** What the heads of the foundation use: Adam at a constant rate, nothing else. */
    public static final Optimization PLAIN_ADAM = new Optimization(Kind.ADAM, 0.9f, 0, Schedule.CONSTANT, 0, 0, 1, 0, 0, 1);

    /** The usual fine-tuning recipe: AdamW, 0.01 decay, 10% warm-up, linear decay, clip at 1. */
    public static final Optimization FINE_TUNING = new Optimization(Kind.ADAMW, 0.9f, 0.01f, Schedule.LINEAR, 0.1f, 1f, 1, 0, 0, 1);

    public enum Kind {
        ADAM, ADAMW, SGD;

        public static Kind parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserException("unknown optimizer '" + s + "'; choose adamw, adam or sgd");
            }
        }
    }

    public enum Schedule {
        CONSTANT, LINEAR, COSINE;

        public static Schedule parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserException("unknown schedule '" + s + "'; choose linear, cosine or constant");
            }
        }

        /** Multiplier of the base rate at {@code step} of {@code total} (0-based), after warm-up. */
        public double factor(long step, long total, double warmupFraction) {
            long warm = (long) Math.floor(warmupFraction * total);
            if (step < warm) {
                return (step + 1.0) / (warm + 1.0);
            }
            double progress = total <= warm ? 0 : (double) (step - warm) / (total - warm);
            return switch (this) {
                case CONSTANT -> 1;
                case LINEAR -> Math.max(0, 1 - progress);
                case COSINE -> 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
            };
        }
    }

    public Optimization {
        // a bundle written before precision was a setting ran in fp32; AUTO is recorded as what it meant here
        precision = precision == null ? Precision.FP32 : precision.resolve();
        if (momentum < 0 || momentum >= 1 || weightDecay < 0 || warmup < 0 || warmup >= 1 || clipNorm < 0
                || accumulation < 1 || labelSmoothing < 0 || labelSmoothing >= 1 || l2sp < 0 || layerDecay <= 0
                || layerDecay > 1) {
            throw new UserException("invalid optimisation settings: momentum " + momentum + ", weight decay " + weightDecay
                    + ", warm-up " + warmup + ", clip " + clipNorm + ", accumulation " + accumulation + ", label smoothing "
                    + labelSmoothing + ", L2-SP " + l2sp + ", layer decay " + layerDecay
                    + "; need 0<=momentum<1, 0<=warm-up<1, accumulation>=1, 0<=smoothing<1, 0<layer decay<=1, others >= 0");
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy, for changing several settings at once: {@code FINE_TUNING.toBuilder().clipNorm(0).build()}. */
    public static final class Builder {
        private Kind kind;
        private float momentum;
        private float weightDecay;
        private Schedule schedule;
        private float warmup;
        private float clipNorm;
        private int accumulation;
        private float labelSmoothing;
        private float l2sp;
        private float layerDecay;
        private Precision precision;

        private Builder(Optimization o) {
            kind = o.kind;
            momentum = o.momentum;
            weightDecay = o.weightDecay;
            schedule = o.schedule;
            warmup = o.warmup;
            clipNorm = o.clipNorm;
            accumulation = o.accumulation;
            labelSmoothing = o.labelSmoothing;
            l2sp = o.l2sp;
            layerDecay = o.layerDecay;
            precision = o.precision;
        }

        public Builder kind(Kind v) {
            kind = v;
            return this;
        }

        /** SGD's momentum. */
        public Builder momentum(float v) {
            momentum = v;
            return this;
        }

        public Builder weightDecay(float v) {
            weightDecay = v;
            return this;
        }

        /** The schedule after warm-up, and the share of steps warming up. */
        public Builder schedule(Schedule v, float warmupFraction) {
            schedule = v;
            warmup = warmupFraction;
            return this;
        }

        /** Clip the global gradient norm; 0 = off. */
        public Builder clipNorm(float v) {
            clipNorm = v;
            return this;
        }

        public Builder accumulation(int v) {
            accumulation = v;
            return this;
        }

        public Builder labelSmoothing(float v) {
            labelSmoothing = v;
            return this;
        }

        public Builder l2sp(float v) {
            l2sp = v;
            return this;
        }

        public Builder layerDecay(float v) {
            layerDecay = v;
            return this;
        }

        /** The number format of the network's dense products. */
        public Builder precision(Precision v) {
            precision = v;
            return this;
        }

        public Optimization build() {
            return new Optimization(kind, momentum, weightDecay, schedule, warmup, clipNorm, accumulation, labelSmoothing, l2sp, layerDecay,
                    precision);
        }
    }
}
