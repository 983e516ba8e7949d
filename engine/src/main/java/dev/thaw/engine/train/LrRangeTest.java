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
 * <p>The rate is read with Smith's and fastai's classic rule ({@code SuggestionMethod.Minimum}): a tenth of the rate
 * at which the smoothed loss was lowest, safely below where it turns up. Not fastai's newer default, {@code valley}
 * (the middle of the longest falling stretch): when a pretrained body gets a new head, the loss falls from the very
 * first, tiny rates (the head learns at any rate), the stretch starts at the curve's start, and its middle is far
 * too low — on ResNet50 at 32 px it chose 2e-5 to 4e-5 where grids found 1e-4 to 1e-3 best, and 1.2e-4 for the head
 * alone, whose best grid rate was 1e-2 (measured in {@code benchmarks/results/sweep-vs-peer}).
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
     * @param lowest     the step with the lowest smoothed loss
     * @param suggestion a tenth of that step's rate
     * @param diverged   whether the loss blew up before the last rate (the test then ended early)
     * @param seconds    how long the steps took
     */
    public record Curve(List<Double> rates, List<Double> losses, int lowest, double suggestion, boolean diverged,
                        double seconds) {

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
        int lowest = 0;
        boolean diverged = false;
        for (int i = 0; i < steps && batches.hasNext(); i++) {
            graph.fit(batches.next());
            double loss = graph.score();
            average = BETA * average + (1 - BETA) * loss;
            double smoothed = average / (1 - Math.pow(BETA, i + 1));
            if (!Double.isFinite(smoothed) || !losses.isEmpty() && smoothed > DIVERGED * losses.get(lowest)) {
                diverged = true;
                break;
            }
            rates.add(growth.valueAt(i, 0));
            losses.add(smoothed);
            if (smoothed < losses.get(lowest)) {
                lowest = i;
            }
        }
        double suggestion = rates.isEmpty() ? start : rates.get(lowest) / 10;
        return new Curve(rates, losses, lowest, suggestion, diverged, (System.nanoTime() - t0) / 1e9);
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
