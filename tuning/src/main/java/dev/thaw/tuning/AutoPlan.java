package dev.thaw.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code auto} searches within its time budget: freeze points × learning rates, grid order, with successive
 * halving (a third go on at three times the epochs) from {@code minEpochs} up to {@code maxEpochs}. Chosen by
 * {@link #choose} as the most thorough plan whose estimate, from measured {@link SweepCosts}, fits the budget.
 *
 * @param points           freeze points searched, most trained first ({@code full}, then the backbone's points, then
 *                         {@code head})
 * @param lrCount          learning rates per point: 3 (1e-4, 1e-3, 1e-2), 2 (1e-4, 1e-3) or 1 (1e-3)
 * @param minEpochs        epochs every candidate gets
 * @param maxEpochs        epochs the last rung's candidates reach
 * @param estimatedSeconds the plan's estimate, the winner's test scoring included (not the measuring before it)
 * @param costs            what the estimate is made from
 */
public record AutoPlan(List<String> points, int lrCount, int minEpochs, int maxEpochs, double estimatedSeconds,
                       SweepCosts costs) {

    /** Successive halving's factor: each rung keeps a third, for three times the epochs. */
    public static final int ETA = 3;

    /** Epoch ranges with halving, most thorough first. */
    private static final int[][] DEPTHS = {{3, 27}, {1, 9}, {1, 3}};

    public AutoPlan {
        points = List.copyOf(points);
    }

    /**
     * The most thorough plan that fits {@code seconds}. Every freeze point first (the question is how much to
     * freeze): with three rates, then two, the deepest epoch range that fits; then one epoch per candidate with
     * three, two, one rates. Only when none of those fits are points dropped, the dearest ({@code full}) first.
     *
     * @param points freeze points to search, most trained (most expensive) first
     * @throws IllegalArgumentException when not even one epoch of the cheapest point fits
     */
    public static AutoPlan choose(double seconds, List<String> points, SweepCosts costs) {
        List<AutoPlan> options = new ArrayList<>();
        for (int drop = 0; drop < points.size(); drop++) {
            List<String> kept = points.subList(drop, points.size());
            for (int lrCount = 3; lrCount >= 2; lrCount--) {
                for (int[] depth : DEPTHS) {
                    options.add(of(kept, lrCount, depth[0], depth[1], costs));
                }
            }
            for (int lrCount = 3; lrCount >= 1; lrCount--) {
                options.add(of(kept, lrCount, 1, 1, costs));
            }
        }
        AutoPlan smallest = options.get(options.size() - 1);
        return options.stream().filter(p -> p.estimatedSeconds() <= seconds).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(String.format(Locale.ROOT, "--budget is too short: "
                        + "the smallest plan (%s, one rate, one epoch) needs about %.0f s after %.0f s of "
                        + "measuring; give --budget at least %dm", smallest.points(), smallest.estimatedSeconds(),
                        costs.measureSeconds(), (long) Math.ceil((smallest.estimatedSeconds()
                                + costs.measureSeconds()) / 60))));
    }

    private static AutoPlan of(List<String> points, int lrCount, int minEpochs, int maxEpochs, SweepCosts costs) {
        AutoPlan plan = new AutoPlan(points, lrCount, minEpochs, maxEpochs, 0, costs);
        return new AutoPlan(points, lrCount, minEpochs, maxEpochs, plan.estimate(), costs);
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
     * Every candidate's first rung, then each later rung's candidates at the dearest point's cost (which candidates go
     * on is not known in advance, and the dear ones often win: at the points' mean cost a 45 s budget ran 50 s when
     * the full-training candidate was the one promoted to the last rung), then the winner's test scoring.
     */
    private double estimate() {
        double seconds = 0;
        for (String point : points) {
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
        sb.append(String.format(Locale.ROOT, "plan: freeze points %s x learning rates %s = %d candidates, "
                        + "successive halving:%n", String.join(", ", points), rates(), points.size() * lrCount));
        for (int[] rung : rungs()) {
            sb.append(String.format(Locale.ROOT, "  %d candidate(s) to %d epoch(s)%n", rung[0], rung[1]));
        }
        sb.append(String.format(Locale.ROOT, "expected: %.0f s for the search and the winner's test score, after "
                + "%.0f s of measuring; budget %.0f s%n", estimatedSeconds, costs.measureSeconds(), budgetSeconds));
        return sb.toString();
    }

    private String rates() {
        return String.join(", ", learningRates().stream().map(r -> String.format(Locale.ROOT, "%.0e", r)).toList());
    }
}
