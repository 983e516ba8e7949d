package dev.thaw.tuning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Mean validation accuracy of finished candidates per freeze point × learning rate: the report's heatmap image and
 * the live sweep page draw the same cells.
 *
 * @param freezePoints  rows, in the order the sweep first tried them
 * @param learningRates columns: each rate tried when at most 8, else 6 log-spaced bins (their centres)
 * @param scores        {@code scores[row][column]}, NaN where no candidate finished
 */
public record Heatmap(List<String> freezePoints, List<Double> learningRates, double[][] scores) {

    private static final int MAX_EXACT = 8;
    private static final int BINS = 6;

    /** The heatmap of {@code ok} (finished candidates, not empty). */
    static Heatmap of(List<CandidateRecord> ok) {
        List<String> rows = ok.stream().sorted(Comparator.comparingInt(CandidateRecord::index))
                .map(CandidateRecord::freeze).distinct().toList();
        TreeSet<Double> distinct = new TreeSet<>(ok.stream().map(CandidateRecord::lr).toList());
        boolean exact = distinct.size() <= MAX_EXACT;
        double lo = Math.log10(distinct.first());
        double hi = Math.log10(distinct.last());
        int cols = exact ? distinct.size() : BINS;
        List<Double> exactRates = new ArrayList<>(distinct);
        double[][] sum = new double[rows.size()][cols];
        int[][] n = new int[rows.size()][cols];
        for (CandidateRecord r : ok) {
            int c = exact ? exactRates.indexOf(r.lr())
                    : (int) Math.min(cols - 1, (Math.log10(r.lr()) - lo) / Math.max(1e-12, hi - lo) * cols);
            int row = rows.indexOf(r.freeze());
            sum[row][c] += r.score();
            n[row][c]++;
        }
        double[][] mean = new double[rows.size()][cols];
        for (int r = 0; r < rows.size(); r++) {
            Arrays.fill(mean[r], Double.NaN);
            for (int c = 0; c < cols; c++) {
                if (n[r][c] > 0) {
                    mean[r][c] = sum[r][c] / n[r][c];
                }
            }
        }
        List<Double> columns = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            columns.add(exact ? exactRates.get(c) : Math.pow(10, lo + (c + 0.5) * (hi - lo) / cols));
        }
        return new Heatmap(rows, columns, mean);
    }
}
