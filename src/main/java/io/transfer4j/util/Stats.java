package io.transfer4j.util;

import java.util.Arrays;

/** Small statistics for timed repeats (benchmarks, the measured fine-tuning cost). */
public final class Stats {
    private Stats() {}

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
