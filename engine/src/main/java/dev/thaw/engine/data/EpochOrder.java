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

    /**
     * How an epoch of {@code n} training examples is cut into batches of at most {@code batchSize}: as many batches
     * as plain cutting gives ({@code ceil(n / batchSize)}), of sizes as equal as can be (100 at 32: four of 25, not
     * 32, 32, 32 and 4). A BatchNorm layer in training mode normalizes by its batch's statistics, and a batch of
     * 4 made ResNet50 fine-tuned on 20 labels per class lose 13 points in PyTorch and DL4J alike (0.644 vs 0.773,
     * benchmarks/results/parity.md); evening the batches keeps every image in every epoch.
     */
    public static int[] batchSizes(int n, int batchSize) {
        int batches = Math.max(1, (n + batchSize - 1) / batchSize);
        int[] sizes = new int[batches];
        for (int b = 0; b < batches; b++) {
            sizes[b] = (int) ((long) (b + 1) * n / batches - (long) b * n / batches);
        }
        return sizes;
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
