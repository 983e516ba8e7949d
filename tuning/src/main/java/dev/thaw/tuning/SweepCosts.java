package dev.thaw.tuning;

import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.data.Splitter;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.RunEvaluation;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.Heads;
import dev.thaw.engine.train.StepCost;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.weights.ThawModelFile;
import dev.thaw.zoo.weights.WeightSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What a sweep's pieces cost on this machine, measured before it starts, and the estimates {@code auto} plans and
 * keeps to its budget with: a candidate's first training, its continuation when promoted, the winner's test scoring.
 *
 * @param perPoint         {@link StepCost} of each freeze point searched ({@code full}, point names, {@code head})
 * @param trainImages      images in the training split
 * @param valImages        images in the validation split
 * @param finalImages      images the winner is scored on at the end (test split, or validation without one)
 * @param batch            images per training step
 * @param candidateSeconds what a candidate's run costs besides its epochs: loading the weights and saving the
 *                         model (both measured), plus 0.5 s for opening the data and building graphs
 * @param measureSeconds   how long measuring took
 */
public record SweepCosts(Map<String, StepCost> perPoint, int trainImages, int valImages, int finalImages,
                         int batch, double candidateSeconds, double measureSeconds) {

    /** Repeats of each timed pass (after a warm-up); their median is kept. */
    private static final int REPEATS = 2;

    public SweepCosts {
        perPoint = Collections.unmodifiableMap(new LinkedHashMap<>(perPoint)); // in search order, for tables
    }

    /**
     * A candidate's first training: {@code epochs} epochs at {@code point}, plus featurizing the training and
     * validation images through the frozen prefix when no candidate before it did ({@code featurize}).
     */
    public double firstRun(String point, int epochs, boolean featurize) {
        StepCost c = cost(point);
        return candidateSeconds + c.buildSeconds() + epochs * c.epochSeconds(trainImages, valImages)
                + (featurize ? c.featurizeSeconds(trainImages + valImages) : 0);
    }

    /** A promoted candidate trained on from {@code fromEpochs} to {@code toEpochs} (its features come from the cache). */
    public double extension(String point, int fromEpochs, int toEpochs) {
        StepCost c = cost(point);
        return candidateSeconds + c.buildSeconds() + (toEpochs - fromEpochs) * c.epochSeconds(trainImages, valImages);
    }

    /**
     * A {@code find} search's range test at {@code point}: loading the model, featurizing the frozen prefix's images
     * (which the candidate then reuses) and {@link RateFinder#STEPS} training steps.
     */
    public double rangeTest(String point) {
        StepCost c = cost(point);
        return candidateSeconds + c.buildSeconds() + c.featurizeSeconds(trainImages + valImages)
                + RateFinder.STEPS * batch * c.trainPerImage();
    }

    /** Scoring the winner on the final split: a forward pass of the whole network per image. */
    public double finish() {
        double forward = perPoint.values().stream().mapToDouble(c -> c.featurizePerImage() + c.forwardPerImage())
                .max().orElse(0);
        return candidateSeconds + finalImages * forward;
    }

    private StepCost cost(String point) {
        StepCost c = perPoint.get(point);
        if (c == null) {
            throw new IllegalArgumentException("no measured cost for freeze point " + point + " (measured: "
                    + perPoint.keySet() + ")");
        }
        return c;
    }

    /** Seconds to save {@code graph} as a run's model is saved (compressed), into a file deleted afterwards. */
    private static double saveSeconds(ComputationGraph graph, Backbone backbone, InputShape shape, DataSplits splits)
            throws IOException {
        Path file = Files.createTempFile("thaw-cost-", ".zip");
        try {
            long start = System.nanoTime();
            ThawModelFile.save(graph, new ThawModelFile.Info(backbone.name(), shape.toString(), splits.labels(),
                    Map.of()), file, false);
            return (System.nanoTime() - start) / 1e9;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Measures each of {@code points} for {@code base}'s backbone, weights, input, data and batch size. */
    public static SweepCosts measure(TrainConfig base, List<String> points, PrintWriter out) {
        try {
            return measured(base, points, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure a model save in the temporary folder: " + e.getMessage(), e);
        }
    }

    private static SweepCosts measured(TrainConfig base, List<String> points, PrintWriter out) throws IOException {
        long start = System.nanoTime();
        out.printf("measuring a training step at %s...%n", String.join(", ", points));
        out.flush();
        Backbone backbone = Backbones.get(base.model());
        InputShape shape = base.input() == null ? backbone.nativeInput() : InputShape.parse(base.input());
        DataSplits splits = Splitter.split(DataSource.open(base.data(), base.strict()), base.split());
        WeightSource weights = WeightSource.parse(base.weights());
        weights.load(backbone, shape, splits.numClasses(), base.seed()); // warm-up: class loading, JIT, file cache
        long loadStart = System.nanoTime();
        ComputationGraph master = weights.load(backbone, shape, splits.numClasses(), base.seed()).graph();
        double load = (System.nanoTime() - loadStart) / 1e9;
        if (base.headWidth() > 0) {
            master = Heads.denseHead(master, backbone, shape, splits.numClasses(), base.headWidth(), base.dropout(),
                    base.seed());
        }
        double save = saveSeconds(master, backbone, shape, splits);
        Map<String, StepCost> costs = new LinkedHashMap<>();
        for (String point : points) {
            TrainConfig config = base.toBuilder().strategy(TrainConfigSpace.freezeStrategy(point)).epochs(1).build();
            StepCost cost = StepCost.measure(master, backbone, FineTune.settings(config, backbone, splits), shape,
                    splits.numClasses(), base.batch(), REPEATS);
            costs.put(point, cost);
            out.printf(Locale.ROOT, "  %-8s train %.2f ms/image, validate %.2f ms/image, featurize %.2f ms/image, "
                    + "build %.1f s%n", point, cost.trainPerImage() * 1e3, cost.forwardPerImage() * 1e3,
                    cost.featurizePerImage() * 1e3, cost.buildSeconds());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "  loading the weights %.1f s, saving a model %.1f s; measured in %.1f s%n", load, save,
                seconds);
        out.flush();
        return new SweepCosts(costs, splits.get(Split.TRAIN).size(), splits.get(Split.VAL).size(),
                splits.get(RunEvaluation.finalSplit(splits)).size(), base.batch(), load + save + 0.5, seconds);
    }
}
