package dev.thaw.engine.data;

import java.util.Random;

/**
 * The order in which an epoch visits its examples: a Fisher-Yates shuffle seeded by (seed, epoch), so a resumed
 * run, the decoded-image path, the streaming DataVec path and training from cached features all see epoch e in the
 * same order.
 */
public final class EpochOrder {

    private EpochOrder() {
    }

    /** A permutation of {@code 0..n-1} for this epoch. */
    public static int[] shuffled(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Same draw sequence as Collections.shuffle with this Random, which the streaming path used before.
        Random r = new Random(seed * 7_777_777L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
