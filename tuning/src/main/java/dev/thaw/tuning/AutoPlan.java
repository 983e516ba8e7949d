package dev.thaw.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code auto} searches within its time budget: freeze points, each at a rate found by a learning-rate range
 * test ({@code find}) or at a grid of rates, with successive halving (a third go on at three times the epochs) from
 * {@code minEpochs} up to {@code maxEpochs}. Chosen by {@link #choose} as the most thorough plan whose estimate,
 * from measured {@link SweepCosts}, fits the budget.
 *
 * @param points           freeze points searched, most trained first ({@code full}, then the backbone's points, then
 *                         {@code head})
 * @param lrCount          learning rates per point: 1 with {@code findRates}; on a grid 3 (1e-4, 1e-3, 1e-2), 2
 *                         (1e-4, 1e-3) or 1 (1e-3)
 * @param findRates        each point's one rate comes from its range test ({@code sweep --search find}), within
 *                         {@link #FIND_MIN}..{@link #FIND_MAX}; false in plans saved before this existed
 * @param minEpochs        epochs every candidate gets
 * @param maxEpochs        epochs the last rung's candidates reach
 * @param estimatedSeconds the plan's estimate, the winner's test scoring included (not the measuring before it)
 * @param costs            what the estimate is made from
 */
public record AutoPlan(List<String> points, int lrCount, boolean findRates, int minEpochs, int maxEpochs,
                       double estimatedSeconds, SweepCosts costs) {

    /** The rates a range test may choose from (its curve spans 100× more each way). */
    public static final double FIND_MIN = 1e-5;
    public static final double FIND_MAX = 1e-1;

    /** Successive halving's factor: each rung keeps a third, for three times the epochs. */
    public static final int ETA = 3;

    /**
     * Epoch ranges with halving, most thorough first. One candidate per point leaves few to halve (five points:
     * the best one goes on, once), so each range is one step of {@link #ETA}; the last is one epoch each, no halving.
     */
    private static final int[][] DEPTHS = {{9, 27}, {3, 9}, {1, 3}, {1, 1}};

    public AutoPlan {
        points = List.copyOf(points);
    }

    /**
     * The most thorough plan that fits {@code seconds}. Every freeze point first (the question is how much to
     * freeze), each at the rate its range test finds, the deepest epoch range that fits, down to one epoch each; then
     * one epoch each at 1e-3 without tests. Only when none of those fits are points dropped, the dearest
     * ({@code full}) first. No grid of rates: on ResNet50 (32 px, the PyTorch peer's space) a range test per point
     * then halving found a better configuration than the 3-rate grid's best (validation 0.911 vs 0.908) in 317 s,
     * where the grid with halving took 725 s and {@code auto} with grids 542 s
     * ({@code benchmarks/results/sweep-vs-peer*}).
     *
     * @param points freeze points to search, most trained (most expensive) first
     * @throws IllegalArgumentException when not even one epoch of the cheapest point fits
     */
    public static AutoPlan choose(double seconds, List<String> points, SweepCosts costs) {
        List<AutoPlan> options = new ArrayList<>();
        for (int drop = 0; drop < points.size(); drop++) {
            List<String> kept = points.subList(drop, points.size());
            for (int[] depth : DEPTHS) {
                options.add(of(kept, true, depth[0], depth[1], costs));
            }
            options.add(of(kept, false, 1, 1, costs)); // no range tests: one epoch each at 1e-3
        }
        AutoPlan smallest = options.get(options.size() - 1);
        return options.stream().filter(p -> p.estimatedSeconds() <= seconds).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(String.format(Locale.ROOT, "--budget is too short: "
                        + "the smallest plan (%s, one rate, one epoch) needs about %.0f s after %.0f s of "
                        + "measuring; give --budget at least %dm", smallest.points(), smallest.estimatedSeconds(),
                        costs.measureSeconds(), (long) Math.ceil((smallest.estimatedSeconds()
                                + costs.measureSeconds()) / 60))));
    }

    private static AutoPlan of(List<String> points, boolean find, int minEpochs, int maxEpochs, SweepCosts costs) {
        AutoPlan plan = new AutoPlan(points, 1, find, minEpochs, maxEpochs, 0, costs);
        return new AutoPlan(points, 1, find, minEpochs, maxEpochs, plan.estimate(), costs);
    }

    /** The learning rates each point is tried at. */
    public List<Double> learningRates() {
        return switch (lrCount) {
            case 3 -> List.of(1e-4, 1e-3, 1e-2);
            case 2 -> List.of(1e-4, 1e-3);
            default -> List.of(1e-3);
        };
    }

    /** The sweep that carries the plan out. */
    public SweepSpec spec(long seed, int batch) {
        if (findRates) {
            return new SweepSpec(points, FIND_MIN, FIND_MAX, List.of("freeze"), List.of("adam"), List.of(batch), null,
                    null, maxEpochs, "find", 1, 0, 0, seed, ETA, minEpochs);
        }
        List<Double> lrs = learningRates();
        return new SweepSpec(points, lrs.get(0), lrs.get(lrs.size() - 1), List.of("freeze"), List.of("adam"),
                List.of(batch), null, null, maxEpochs, "grid", lrCount, 0, 0, seed, ETA, minEpochs);
    }

    /** Candidates and epochs of each rung, as {@link SuccessiveHalving} runs them when no candidate fails. */
    public List<int[]> rungs() {
        List<int[]> rungs = new ArrayList<>();
        int alive = points.size() * lrCount;
        int epochs = minEpochs;
        rungs.add(new int[]{alive, epochs});
        while (epochs < maxEpochs && alive > 1) {
            alive = Math.max(1, alive / ETA);
            epochs = Math.min(maxEpochs, epochs * ETA);
            rungs.add(new int[]{alive, epochs});
        }
        return rungs;
    }

    /**
     * Every candidate's first rung (after its point's range test when rates are found), then each later rung's
     * candidates at the dearest point's cost (which candidates go on is not known in advance, and the dear ones often
     * win: at the points' mean cost a 45 s budget ran 50 s when the full-training candidate was the one promoted to
     * the last rung), then the winner's test scoring.
     */
    private double estimate() {
        double seconds = 0;
        for (String point : points) {
            if (findRates) {
                seconds += costs.rangeTest(point) + costs.firstRun(point, minEpochs, false);
                continue;
            }
            for (int i = 0; i < lrCount; i++) {
                seconds += costs.firstRun(point, minEpochs, i == 0);
            }
        }
        List<int[]> rungs = rungs();
        for (int r = 1; r < rungs.size(); r++) {
            int from = rungs.get(r - 1)[1];
            int to = rungs.get(r)[1];
            double dearest = points.stream().mapToDouble(p -> costs.extension(p, from, to)).max().orElse(0);
            seconds += rungs.get(r)[0] * dearest;
        }
        return seconds + costs.finish();
    }

    /** The plan as {@code auto} prints it before it starts. */
    public String render(double budgetSeconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(findRates
                ? String.format(Locale.ROOT, "plan: freeze points %s, each at the rate its learning-rate range test "
                        + "finds (%.0e..%.0e) = %d candidates, successive halving:%n", String.join(", ", points),
                        FIND_MIN, FIND_MAX, points.size())
                : String.format(Locale.ROOT, "plan: freeze points %s x learning rates %s = %d candidates, "
                        + "successive halving:%n", String.join(", ", points), rates(), points.size() * lrCount));
        for (int[] rung : rungs()) {
            sb.append(String.format(Locale.ROOT, "  %d candidate(s) to %d epoch(s)%n", rung[0], rung[1]));
        }
        sb.append(String.format(Locale.ROOT, "expected: %.0f s for the %ssearch and the winner's test score, after "
                + "%.0f s of measuring; budget %.0f s%n", estimatedSeconds, findRates ? "range tests, the " : "",
                costs.measureSeconds(), budgetSeconds));
        return sb.toString();
    }

    private String rates() {
        return String.join(", ", learningRates().stream().map(r -> String.format(Locale.ROOT, "%.0e", r)).toList());
    }
}
