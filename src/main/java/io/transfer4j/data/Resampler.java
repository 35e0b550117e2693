package io.transfer4j.data;

/**
 * Band-limited resampling between any two rates: each output sample is the input convolved with
 * a Kaiser-windowed sinc whose cut-off sits just below the lower of the two Nyquist frequencies,
 * so that content above the new Nyquist is removed before it can alias (a plain interpolation
 * would fold a 10 kHz tone into 6 kHz when going from 44.1 to 16 kHz). For rational ratios with
 * few phases (44.1 -> 16 kHz has 160) the filter taps are tabulated once per phase.
 */
public final class Resampler {
    /** Zero crossings of the sinc on each side: about 90 dB stop-band with {@link #BETA}, a 5% transition band. */
    static final int ZEROS = 24;
    static final double BETA = 8.6;
    static final double ROLLOFF = 0.95;
    private static final int MAX_PHASES = 4096;

    private Resampler() {}

    public static float[] resample(float[] x, int from, int to) {
        if (from == to) {
            return x;
        }
        long g = gcd(from, to);
        int up = (int) (to / g);
        int down = (int) (from / g);
        double cutoff = ROLLOFF * Math.min(1.0, (double) to / from); // as a fraction of the input's Nyquist
        int half = (int) Math.ceil(ZEROS / cutoff); // taps on each side, in input samples
        int n = (int) ((long) x.length * up / down);
        float[] out = new float[n];
        double[][] table = up <= MAX_PHASES ? new double[up][] : null;
        for (int i = 0; i < n; i++) {
            long num = (long) i * down; // the output's position is num / up input samples
            int centre = (int) (num / up);
            int phase = (int) (num % up);
            double frac = phase / (double) up;
            double[] taps = table == null ? taps(frac, half, cutoff)
                    : table[phase] != null ? table[phase] : (table[phase] = taps(frac, half, cutoff));
            double acc = 0;
            int lo = centre - half + 1;
            for (int k = 0; k < taps.length; k++) {
                int j = lo + k;
                if (j >= 0 && j < x.length) {
                    acc += x[j] * taps[k];
                }
            }
            out[i] = (float) acc;
        }
        return out;
    }

    /** The filter's taps for input samples centre-half+1 .. centre+half, at fractional offset {@code frac} past centre. */
    private static double[] taps(double frac, int half, double cutoff) {
        double[] t = new double[2 * half];
        for (int k = 0; k < t.length; k++) {
            double d = (k - half + 1) - frac; // distance of the input sample from the output position
            t[k] = cutoff * sinc(cutoff * d) * kaiser(d / half);
        }
        return t;
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    private static double kaiser(double r) {
        return Math.abs(r) >= 1 ? 0 : besselI0(BETA * Math.sqrt(1 - r * r)) / besselI0(BETA);
    }

    /** The modified Bessel function of order 0, by its power series (converges fast for the window's arguments). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 60 && term > 1e-12 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
