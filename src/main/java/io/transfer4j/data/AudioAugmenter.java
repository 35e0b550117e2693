package io.transfer4j.data;

import java.util.Random;

/**
 * Applies an {@link AudioAugmentation} to one training clip: speed perturbation (band-limited
 * resampling, in steps of 1%), gain, a time shift inside the clip window, background noise at a
 * drawn signal-to-noise ratio, and afterwards SpecAugment masks on its frames. Every draw comes
 * from the caller's generator, so a seeded batch is augmented the same way every time.
 */
public final class AudioAugmenter {
    private final AudioAugmentation a;
    private final int sampleRate;
    private final float[][] noise;

    /** @param noise background recordings at {@code sampleRate} (may be empty when no noise is mixed in) */
    public AudioAugmenter(AudioAugmentation a, int sampleRate, float[][] noise) {
        if (a.mixesNoise() && (noise == null || noise.length == 0)) {
            throw new IllegalArgumentException("noise augmentation needs background recordings");
        }
        this.a = a;
        this.sampleRate = sampleRate;
        this.noise = noise == null ? new float[0][] : noise;
    }

    /** The clip augmented and fitted to {@code samples}. */
    public float[] waveform(float[] clip, int samples, Random rng) {
        float[] x = clip;
        if (a.speed() > 0) {
            int pct = (int) Math.round((rng.nextDouble() * 2 - 1) * a.speed() * 100);
            if (pct != 0) {
                // Played pct% faster: the clip's samples at rate*(100+pct)/100 are read at the run's rate.
                x = Resampler.resample(x, sampleRate * (100 + pct) / 100, sampleRate);
            }
        }
        int shift = a.shift() > 0 ? (int) Math.round((rng.nextDouble() * 2 - 1) * a.shift() * sampleRate) : 0;
        float[] out = ClipLength.shifted(x, samples, shift);
        if (a.gain() > 0) {
            float g = (float) Math.pow(10, (rng.nextDouble() * 2 - 1) * a.gain() / 20);
            for (int i = 0; i < out.length; i++) {
                out[i] *= g;
            }
        }
        if (a.mixesNoise() && rng.nextDouble() < 0.8) {
            mixNoise(out, noise[rng.nextInt(noise.length)], a.noise() + 15 * rng.nextDouble(), rng);
        }
        return out;
    }

    /** Adds {@code n} (looped from a random offset) scaled to {@code snrDb} below the clip's power. */
    static void mixNoise(float[] x, float[] n, double snrDb, Random rng) {
        double px = power(x, 0, x.length);
        int off = rng.nextInt(Math.max(1, n.length));
        double pn = 0;
        for (int i = 0; i < x.length; i++) {
            float v = n[(off + i) % n.length];
            pn += v * v;
        }
        pn /= x.length;
        if (px <= 0 || pn <= 0) {
            return; // silence on either side: nothing to scale against
        }
        double scale = Math.sqrt(px / (pn * Math.pow(10, snrDb / 10)));
        for (int i = 0; i < x.length; i++) {
            x[i] += (float) (scale * n[(off + i) % n.length]);
        }
    }

    private static double power(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return s / Math.max(1, to - from);
    }

    /** SpecAugment on time-major frames ({@code frames.length / bins} frames): masked values become the frames' mean. */
    public void mask(float[] frames, int bins, Random rng) {
        if (a.timeMasks() == 0 && a.freqMasks() == 0) {
            return;
        }
        int t = frames.length / bins;
        double sum = 0;
        for (float v : frames) {
            sum += v;
        }
        float fill = (float) (sum / frames.length);
        for (int m = 0; m < a.timeMasks(); m++) {
            int w = rng.nextInt(AudioAugmentation.TIME_MASK + 1);
            int s = rng.nextInt(Math.max(1, t - w + 1));
            java.util.Arrays.fill(frames, s * bins, Math.min(t, s + w) * bins, fill);
        }
        for (int m = 0; m < a.freqMasks() && bins > 1; m++) {
            int w = rng.nextInt(Math.min(AudioAugmentation.FREQ_MASK, bins - 1) + 1);
            int s = rng.nextInt(Math.max(1, bins - w + 1));
            for (int f = 0; f < t; f++) {
                java.util.Arrays.fill(frames, f * bins + s, f * bins + s + w, fill);
            }
        }
    }
}
