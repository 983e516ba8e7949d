package dev.thaw.tuning;

import dev.thaw.engine.run.TrainConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

/**
 * An Arbiter {@link ParameterSpace} whose values are whole {@link TrainConfig}s: Arbiter's generators pick a point
 * in the unit hypercube, the leaf spaces (freeze point, learning rate, strategy, updater, batch size, head width,
 * dropout) turn it into
 * values, and each candidate is a new configuration built from the base one; the base is never changed.
 */
final class TrainConfigSpace extends AbstractParameterSpace<TrainConfig> {

    private final TrainConfig base;
    private final SweepSpec spec;
    private final ParameterSpace<String> freeze;
    private final ParameterSpace<Double> lr;
    private final ParameterSpace<String> strategy;
    private final ParameterSpace<String> updater;
    private final ParameterSpace<Integer> batch;
    private final ParameterSpace<Integer> headWidth;
    private final ParameterSpace<Double> dropout;
    private final Map<TrainConfig, Double> found;

    /**
     * @param gridLr learning rates for a grid search, evenly spaced in log space; null for log-uniform sampling
     * @param found  for the {@code find} search: the rate each configuration's range test found, by the
     *               configuration as built at {@link RateFinder#undecided()}'s rate; null otherwise
     */
    TrainConfigSpace(TrainConfig base, SweepSpec spec, List<Double> gridLr, Map<TrainConfig, Double> found) {
        this.base = base;
        this.spec = spec;
        this.found = found;
        this.freeze = choice(spec.freeze());
        // Log-uniform: Arbiter's own distribution. On a grid, a discrete list of log-spaced values instead, because
        // a grid over a continuous space is evenly spaced in the raw value.
        this.lr = gridLr != null ? choice(gridLr)
                : spec.lrMin() == spec.lrMax() ? new FixedValue<>(spec.lrMin())
                : new ContinuousParameterSpace(new LogUniformDistribution(spec.lrMin(), spec.lrMax()));
        this.strategy = choice(spec.strategies());
        this.updater = choice(spec.updaters());
        this.batch = choice(spec.batchSizes());
        this.headWidth = choice(spec.headWidths().isEmpty() ? List.of(base.headWidth()) : spec.headWidths());
        this.dropout = choice(spec.dropouts().isEmpty() ? List.of(base.dropout()) : spec.dropouts());
    }

    /**
     * A discrete choice; a single value becomes Arbiter's {@link FixedValue}, because Arbiter's grid generator maps
     * a one-value discrete space to NaN and the candidate fails to generate.
     */
    private static <T> ParameterSpace<T> choice(List<T> values) {
        return values.size() == 1 ? new FixedValue<>(values.get(0)) : new DiscreteParameterSpace<>(values);
    }

    /** Learning rates evenly spaced in log space between the spec's bounds. */
    static List<Double> logGrid(double min, double max, int count) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double t = count == 1 ? 0 : i / (double) (count - 1);
            values.add(Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))));
        }
        return values;
    }

    /** The {@code freeze} kind's strategy at a freeze point: {@code full}, {@code head} or {@code freeze:POINT}. */
    static String freezeStrategy(String point) {
        return point.equals("full") || point.equals("head") ? point : "freeze:" + point;
    }

    @Override
    public TrainConfig getValue(double[] values) {
        String point = freeze.getValue(values);
        String kind = strategy.getValue(values);
        // Dropout belongs to the added dense layer: with the backbone's own head (width 0) there is none to record.
        int width = headWidth.getValue(values);
        String strategySpec = switch (kind) {
            case "freeze" -> freezeStrategy(point);
            // the head converges alone on cached features (milliseconds an epoch), then trains with the layers after it
            case "two-phase" -> "two-phase:auto:" + (point.equals("full") ? "none" : point);
            case "discriminative" -> "discriminative";
            default -> throw new IllegalArgumentException("unknown strategy kind '" + kind
                    + "': use freeze, two-phase or discriminative");
        };
        TrainConfig config = spec.baseOf(base).strategy(strategySpec).lr(lr.getValue(values))
                .updater(updater.getValue(values)).batch(batch.getValue(values)).headWidth(width)
                .dropout(width == 0 ? 0 : dropout.getValue(values)).epochs(spec.epochs()).build();
        if (found == null) {
            return config;
        }
        Double rate = found.get(config);
        if (rate == null) {
            throw new IllegalStateException("no range test for " + config.strategy() + ": the sweep's tests and "
                    + "candidates disagree");
        }
        return config.toBuilder().lr(rate).build();
    }

    @Override
    public int numParameters() {
        return collectLeaves().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        for (ParameterSpace<?> s : getNestedSpaces().values()) {
            if (s.numParameters() > 0) {
                leaves.add(s);
            }
        }
        return leaves;
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        Map<String, ParameterSpace> m = new LinkedHashMap<>();
        m.put("freeze", freeze);
        m.put("lr", lr);
        m.put("strategy", strategy);
        m.put("updater", updater);
        m.put("batch", batch);
        m.put("headWidth", headWidth);
        m.put("dropout", dropout);
        return m;
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("not a leaf: Arbiter sets the indices of the leaf spaces");
    }
}
