package dev.thaw.engine.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The learning-rate range test (Smith 2017, fastai's {@code lr_find}): train a throw-away copy of the model for a
 * few dozen minibatches while the rate grows exponentially from far too small to far too large, record the
 * smoothed loss at each rate, and read a rate off the curve. One short run answers "at what rate?" where a grid
 * trains one candidate per rate.
 *
 * <p>The rate is read with fastai's default rule, {@code valley}: the longest stretch of steps over which the loss
 * keeps falling, and the rate halfway into it: past the flat start, well before the loss turns up.
 */
public final class LrRangeTest {

    /**
     * Smoothing of the minibatch losses (a debiased moving average, as fastai's recorder). Lighter than fastai's
     * 0.98, which is tuned for its 100 steps: over a few dozen it would lag the curve by most of its length.
     */
    private static final double BETA = 0.8;
    /** The test ends once the smoothed loss is this many times its lowest: the rate has made training diverge. */
    private static final double DIVERGED = 4;

    /**
     * What the test saw and what it suggests.
     *
     * @param rates      the base learning rate of each step taken
     * @param losses     the smoothed training loss after each of those steps
     * @param suggestion the rate {@code valley} reads off the curve
     * @param valleyFrom first step of the longest falling stretch
     * @param valleyTo   its last step
     * @param diverged   whether the loss blew up before the last rate (the test then ended early)
     * @param seconds    how long the steps took
     */
    public record Curve(List<Double> rates, List<Double> losses, double suggestion, int valleyFrom, int valleyTo,
                        boolean diverged, double seconds) {

        public Curve {
            rates = List.copyOf(rates);
            losses = List.copyOf(losses);
        }
    }

    private LrRangeTest() {
    }

    /**
     * Runs the test on {@code graph}, whose parameters it changes (hand it a copy), before the graph's first fit.
     * Each layer's rate grows from its configured rate × {@code start} to × {@code end}, so a graph built at base rate
     * 1 keeps the ratios of its layers (a head at 10× the body's rate stays at 10×).
     *
     * @param batches at least {@code steps} minibatches
     */
    public static Curve run(ComputationGraph graph, Iterator<DataSet> batches, double start, double end, int steps) {
        if (!(start > 0) || !(end > start) || steps < 5) {
            throw new IllegalArgumentException("a range test needs 0 < start < end and 5 steps or more, got " + start
                    + ", " + end + ", " + steps);
        }
        Growth growth = new Growth(start, end, steps);
        growAll(graph, growth);
        graph.getConfiguration().setIterationCount(0); // the step count the rates grow by
        graph.getConfiguration().setEpochCount(0);
        long t0 = System.nanoTime();
        List<Double> rates = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        double average = 0;
        double lowest = Double.POSITIVE_INFINITY;
        boolean diverged = false;
        for (int i = 0; i < steps && batches.hasNext(); i++) {
            graph.fit(batches.next());
            double loss = graph.score();
            average = BETA * average + (1 - BETA) * loss;
            double smoothed = average / (1 - Math.pow(BETA, i + 1));
            if (!Double.isFinite(smoothed) || smoothed > DIVERGED * lowest) {
                diverged = true;
                break;
            }
            lowest = Math.min(lowest, smoothed);
            rates.add(growth.valueAt(i, 0));
            losses.add(smoothed);
        }
        int[] valley = valley(losses);
        double suggestion = rates.isEmpty() ? start : rates.get(valley[0] + (valley[1] - valley[0]) / 2);
        return new Curve(rates, losses, suggestion, valley[0], valley[1], diverged, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * fastai's {@code valley}: the longest run of steps along which each loss is below the one before it, a noisy
     * step skipped (a longest decreasing subsequence, found in O(n²): n is a few dozen), as {first step, last step}.
     * Unlike fastai, which puts the start at the end minus the length, the start is where the run really begins.
     */
    static int[] valley(List<Double> losses) {
        int n = losses.size();
        if (n == 0) {
            return new int[]{0, 0};
        }
        int[] length = new int[n];
        int[] previous = new int[n];
        int end = 0;
        for (int i = 0; i < n; i++) {
            length[i] = 1;
            previous[i] = i;
            for (int j = 0; j < i; j++) {
                if (losses.get(i) < losses.get(j) && length[i] < length[j] + 1) {
                    length[i] = length[j] + 1;
                    previous[i] = j;
                }
            }
            if (length[i] > length[end]) {
                end = i;
            }
        }
        int start = end;
        while (previous[start] != start) {
            start = previous[start];
        }
        return new int[]{start, end};
    }

    /**
     * Gives every layer that learns the growing rate, scaled by the rate it was configured with. Each layer gets
     * its own copy of its updater: layers built from one fine-tune configuration share one updater object.
     */
    static void growAll(ComputationGraph graph, Growth growth) {
        for (GraphVertex v : graph.getVertices()) {
            if (v.hasLayer() && v.getLayer().numParams() > 0
                    && v.getLayer().conf().getLayer() instanceof BaseLayer layer) {
                layer.setIUpdater(growing(layer.getIUpdater(), growth));
                layer.setBiasUpdater(growing(layer.getBiasUpdater(), growth));
            }
        }
    }

    private static IUpdater growing(IUpdater updater, Growth growth) {
        if (updater == null || !updater.hasLearningRate()) {
            return updater;
        }
        IUpdater copy = updater.clone();
        copy.setLrAndSchedule(Double.NaN, growth.scaled(updater.getLearningRate(0, 0)));
        return copy;
    }

    /** {@code scale × start × (end/start)^(i/(steps-1))} at step {@code i}: from start to end in {@code steps}. */
    record Growth(double start, double end, int steps, double scale) implements ISchedule {

        Growth(double start, double end, int steps) {
            this(start, end, steps, 1);
        }

        Growth scaled(double by) {
            return new Growth(start, end, steps, scale * by);
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            return scale * start * Math.pow(end / start, iteration / (double) (steps - 1));
        }

        @Override
        public ISchedule clone() {
            return this;
        }
    }
}
