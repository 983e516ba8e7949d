package dev.thaw.engine.train;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.ConvCache;
import dev.thaw.zoo.InputShape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What training with a strategy costs on this machine, per image, measured on one random minibatch through the
 * graph the trainer would build ({@link PhaseGraphs}): the frozen prefix's forward pass (paid once per freeze point
 * while its output is cached), a training step of the layers that train, and their forward pass (validation).
 * {@code auto} plans a sweep from these figures; they leave out decoding and data loading, which caches make small
 * after the first epoch.
 *
 * @param featurizePerImage seconds per image through the frozen prefix (0 when nothing is frozen)
 * @param trainPerImage     seconds per image of a training step of the trainable part
 * @param forwardPerImage   seconds per image of the trainable part's forward pass
 * @param buildSeconds      seconds to build the graph the phase trains (once per candidate run)
 */
public record StepCost(double featurizePerImage, double trainPerImage, double forwardPerImage, double buildSeconds) {

    /** Seconds of one epoch over {@code trainImages} and a validation pass over {@code valImages}. */
    public double epochSeconds(int trainImages, int valImages) {
        return trainImages * trainPerImage + valImages * forwardPerImage;
    }

    /** Seconds to featurize {@code images} through the frozen prefix. */
    public double featurizeSeconds(int images) {
        return images * featurizePerImage;
    }

    /**
     * Measures the last phase of the settings' strategy on a copy of {@code master} (left unchanged): one warm-up, then
     * the median of at least {@code repeats} timings of each pass.
     */
    public static StepCost measure(ComputationGraph master, Backbone backbone, TrainSettings settings,
                                   InputShape shape, int numClasses, int batch, int repeats) {
        var phases = settings.phases(backbone.freezePoints());
        Phase phase = phases.get(phases.size() - 1);
        ComputationGraph copy = master.clone();
        long buildStart = System.nanoTime();
        ComputationGraph graph = PhaseGraphs.build(copy, backbone, phase, settings.optimizer(),
                settings.batchNorm(), new PhaseGraphs.Clock(1, 1, 0), settings.seed());
        double build = (System.nanoTime() - buildStart) / 1e9;
        Nd4j.getRandom().setSeed(settings.seed());
        INDArray images = Nd4j.rand(new int[]{batch, shape.channels(), shape.height(), shape.width()});
        INDArray labels = Nd4j.zeros(batch, numClasses);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % numClasses, 1);
        }
        DataSet data = new DataSet(images, labels);
        if (phase.frozen().isNone()) {
            double train = median(repeats, () -> graph.fit(data));
            double forward = median(repeats, () -> graph.output(false, images));
            return new StepCost(0, train / batch, forward / batch, build);
        }
        TransferLearningHelper helper = new TransferLearningHelper(graph);
        ConvCache.apply(helper.unfrozenGraph());
        DataSet[] features = new DataSet[1];
        double featurize = median(repeats, () -> features[0] = helper.featurize(data));
        ComputationGraph trainable = helper.unfrozenGraph();
        double train = median(repeats, () -> trainable.fit(features[0]));
        double forward = median(repeats, () -> trainable.output(false, features[0].getFeatures()));
        return new StepCost(featurize / batch, train / batch, forward / batch, build);
    }

    /**
     * The median time of {@code pass} after a warm-up, over at least {@code repeats} runs and, for quick passes,
     * as many more as fit in half a second (at most 25): a small network's pass takes milliseconds, and two of those
     * are mostly noise.
     */
    private static double median(int repeats, Runnable pass) {
        pass.run(); // warm-up: first calls allocate workspaces and pick kernels
        List<Double> seconds = new ArrayList<>();
        long start = System.nanoTime();
        while (seconds.size() < Math.max(1, repeats)
                || seconds.size() < 25 && System.nanoTime() - start < 500_000_000L) {
            long t = System.nanoTime();
            pass.run();
            seconds.add((System.nanoTime() - t) / 1e9);
        }
        Collections.sort(seconds);
        return seconds.get(seconds.size() / 2);
    }
}
