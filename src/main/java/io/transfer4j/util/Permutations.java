package io.transfer4j.util;

import java.util.Random;

/** Seeded random orders, drawn the same way everywhere so that one seed means one order. */
public final class Permutations {
    private Permutations() {}

    /** 0..n-1 in a Fisher-Yates order drawn from {@code rng}. */
    public static int[] shuffled(int n, Random rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
