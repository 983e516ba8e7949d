package dev.thaw.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The median of measured times: the figure the benchmarks report, robust to the odd slow step. */
final class Median {

    private Median() {
    }

    /** The middle value, or the mean of the two middle ones; {@code values} is not changed. */
    static double of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
