package dev.warthog.hogwild;

import java.util.SplittableRandom;

/** The per-epoch sample order: a Fisher-Yates shuffle of 0..n-1 drawn from the worker's stream. */
final class EpochOrder {
    private EpochOrder() {}

    static void shuffle(int[] order, SplittableRandom rnd) {
        for (int k = 0; k < order.length; k++) order[k] = k;
        for (int k = order.length - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = order[k]; order[k] = order[j]; order[j] = t;
        }
    }
}
