package io.transfer4j.data;

/**
 * The clip-length policy: every clip becomes exactly {@code samples} long before it is framed,
 * so a batch is one tensor. A shorter clip is centred in silence; a longer one is cropped to its
 * loudest stretch of that length (the highest energy), which keeps the spoken word or the
 * instrument's attack rather than an arbitrary start. {@link #shifted} moves the window by an
 * offset first, for time-shift augmentation.
 */
public final class ClipLength {
    private ClipLength() {}

    public static float[] fit(float[] clip, int samples) {
        return shifted(clip, samples, 0);
    }

    /** The clip fitted to {@code samples}, its content moved by {@code shift} samples (positive: later). */
    public static float[] shifted(float[] clip, int samples, int shift) {
        int start = clip.length <= samples ? -(samples - clip.length) / 2 : loudestStart(clip, samples);
        start -= shift;
        float[] out = new float[samples];
        int from = Math.max(0, start);
        int to = Math.min(clip.length, start + samples);
        if (to > from) {
            System.arraycopy(clip, from, out, from - start, to - from);
        }
        return out;
    }

    /** Start of the {@code n}-sample stretch with the most energy (prefix sums: one pass). */
    static int loudestStart(float[] x, int n) {
        double[] prefix = new double[x.length + 1];
        for (int i = 0; i < x.length; i++) {
            prefix[i + 1] = prefix[i] + (double) x[i] * x[i];
        }
        int best = 0;
        double bestEnergy = -1;
        for (int s = 0; s + n <= x.length; s++) {
            double e = prefix[s + n] - prefix[s];
            if (e > bestEnergy + 1e-12) {
                bestEnergy = e;
                best = s;
            }
        }
        return best;
    }

    /**
     * The default length for a set of clips: the 95th percentile of their durations (so a few long
     * outliers do not pad everything), plus one window of the backbone ({@code windowSamples}),
     * rounded up to a tenth of a second, at most {@code maxSeconds}. The extra window lets the
     * encoder's windows start before the sound and end after it, so every part of it is seen whole
     * in some window, as in the streaming use the speech embedding was trained for: on the
     * keyword set, 1 s clips read in three 0.78 s windows give a probe 53% at 5 clips per word, the
     * same clips padded to 1.8 s 76% or more.
     */
    public static int choose(double[] seconds, int sampleRate, int windowSamples, double maxSeconds) {
        double[] s = seconds.clone();
        java.util.Arrays.sort(s);
        double p95 = s.length == 0 ? 1 : s[Math.min(s.length - 1, (int) Math.ceil(0.95 * s.length) - 1)];
        double padded = p95 + windowSamples / (double) sampleRate;
        double chosen = Math.min(maxSeconds, Math.ceil(padded * 10 - 1e-9) / 10);
        return Math.max(windowSamples, (int) Math.round(chosen * sampleRate));
    }
}
