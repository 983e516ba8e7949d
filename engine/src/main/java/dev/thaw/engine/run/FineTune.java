package dev.thaw.engine.run;

import dev.thaw.engine.data.Augmentation;
import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataReport;
import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.data.PipelineOptions;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.data.Splitter;
import dev.thaw.engine.eval.EvaluationReport;
import dev.thaw.engine.eval.Evaluator;
import dev.thaw.engine.train.BatchNormMode;
import dev.thaw.engine.train.Checkpoints;
import dev.thaw.engine.train.EpochFitter;
import dev.thaw.engine.train.EpochMetrics;
import dev.thaw.engine.train.FeatureCache;
import dev.thaw.engine.train.Heads;
import dev.thaw.engine.train.LearningRate;
import dev.thaw.engine.train.LrRangeTest;
import dev.thaw.engine.train.MetricsCsv;
import dev.thaw.engine.train.Optimizer;
import dev.thaw.engine.train.Phase;
import dev.thaw.engine.train.ProgressPrinter;
import dev.thaw.engine.train.StopSignal;
import dev.thaw.engine.train.Strategy;
import dev.thaw.engine.train.TrainSettings;
import dev.thaw.engine.train.Trainer;
import dev.thaw.engine.train.TrainingListener;
import dev.thaw.engine.train.TrainingStoppedException;
import dev.thaw.engine.ui.StatsRecorder;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.GraphParts;
import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.weights.LoadedModel;
import dev.thaw.zoo.weights.ThawModelFile;
import dev.thaw.zoo.weights.WeightSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The one-call path: a {@link TrainConfig} in, a trained, evaluated and saved run out. It is a short sequence of
 * public calls (open data, split, load weights, build a pipeline, train, evaluate, save) that a user can also make
 * one by one for anything this path does not cover.
 */
public final class FineTune {

    /** Caches (decoded images, frozen features) live here unless {@code -Dthaw.cache.dir} says otherwise. */
    public static Path cacheDir() {
        return Path.of(System.getProperty("thaw.cache.dir", System.getProperty("user.home") + "/.cache/thaw"));
    }

    private FineTune() {
    }

    /** Trains a new run under {@code runs}, printing progress to {@code out} as {@code train} does. */
    public static RunResult run(TrainConfig config, Path runs, PrintWriter out) {
        return run(config, runs, out, List.of());
    }

    /**
     * Trains a new run under {@code runs}, printing progress to {@code out} and also telling {@code listeners}
     * (phases, minibatch losses, each epoch's metrics) as it goes.
     */
    public static RunResult run(TrainConfig config, Path runs, PrintWriter out, List<TrainingListener> listeners) {
        return run(config, runs, out, listeners, EpochFitter.ONE_BY_ONE);
    }

    /** As above, each epoch's steps taken by {@code fitter} ({@code train --spark}: data-parallel on Spark). */
    public static RunResult run(TrainConfig config, Path runs, PrintWriter out, List<TrainingListener> listeners,
                                EpochFitter fitter) {
        RunDirectory dir = RunDirectory.create(runs, config.name());
        return locked(dir, () -> {
            dir.writeJson("config.json", config);
            return execute(config, dir, out, listeners, fitter);
        });
    }

    /** Continues a killed run from its last checkpoint, with the configuration it was started with. */
    public static RunResult resume(Path runDir, PrintWriter out) {
        return resume(runDir, out, EpochFitter.ONE_BY_ONE);
    }

    /** As above, each epoch's steps taken by {@code fitter}. */
    public static RunResult resume(Path runDir, PrintWriter out, EpochFitter fitter) {
        RunDirectory dir = RunDirectory.open(runDir);
        return locked(dir, () -> execute(dir.readJson("config.json", TrainConfig.class), dir, out, List.of(),
                fitter));
    }

    /**
     * Trains an existing run on to {@code epochs} epochs in all, from its last checkpoint (successive halving
     * promotes a candidate this way instead of starting it over).
     */
    public static RunResult extend(Path runDir, int epochs, PrintWriter out) {
        RunDirectory dir = RunDirectory.open(runDir);
        return locked(dir, () -> {
            TrainConfig config = dir.readJson("config.json", TrainConfig.class).toBuilder().epochs(epochs).build();
            dir.writeJson("config.json", config);
            return execute(config, dir, out, List.of(), EpochFitter.ONE_BY_ONE);
        });
    }

    /**
     * Trains with the run folder to itself (a second process resuming the same run is refused); a stop request
     * ({@link StopSignal}) ends it with how to resume.
     */
    private static RunResult locked(RunDirectory dir, Supplier<RunResult> training) {
        try (FolderLock lock = FolderLock.acquire(dir.path(), "run")) {
            return training.get();
        } catch (TrainingStoppedException e) {
            throw new TrainingStoppedException(e.signal(), e.completedEpochs(), e.getMessage() + "; resume with: "
                    + "thaw train --resume " + dir.path());
        }
    }

    /** How {@code config} trains {@code backbone} on {@code splits}: its strategy, optimizer and BatchNorm mode. */
    public static TrainSettings settings(TrainConfig config, Backbone backbone, DataSplits splits) {
        boolean pretrained = WeightSource.parse(config.weights()).pretrained();
        Optimizer optimizer = new Optimizer(config.updater(), new LearningRate(config.lr(), config.schedule()),
                config.weightDecay());
        BatchNormMode batchNorm = BatchNormMode.parse(config.batchNorm(), pretrained,
                splits.get(Split.TRAIN).size() / splits.numClasses(), backbone);
        return new TrainSettings(Strategy.parse(config.strategy()), optimizer, config.epochs(), config.seed(),
                config.patience(), config.featureCache(), batchNorm, pretrained);
    }

    /**
     * The learning-rate range test ({@link LrRangeTest}, fastai's {@code lr_find}) for {@code config}: its data,
     * weights, updater, batch size and the last phase of its strategy, the rate growing from {@code start} to
     * {@code end} over {@code steps} minibatches (its {@code --lr} is not used). Trains a copy and saves nothing but
     * the frozen prefix's features, which the runs that follow reuse.
     */
    public static LrRangeTest.Curve rangeTest(TrainConfig config, double start, double end, int steps) {
        Prepared p = Prepared.of(config);
        return p.trainer(null, List.of(), EpochFitter.ONE_BY_ONE).rangeTest(p.initial(), start, end, steps);
    }

    /** The input shape {@code config} asks for: its {@code --input}, else the backbone's native one. */
    private static InputShape inputShape(TrainConfig config, Backbone backbone) {
        return config.input() == null ? backbone.nativeInput() : InputShape.parse(config.input());
    }

    /** What a run of {@code config} trains with, ready: data split, settings, starting model, pipeline, caches. */
    private record Prepared(Backbone backbone, DataSplits splits, TrainSettings settings, LoadedModel loaded,
                            ComputationGraph initial, DataPipeline pipeline, FeatureCache features,
                            FeatureCache.Key key) {

        static Prepared of(TrainConfig config) {
            Backbone backbone = Backbones.get(config.model());
            return of(config, backbone, inputShape(config, backbone), WeightSource.parse(config.weights()));
        }

        /** With the backbone, input shape and weight source {@code config} names, already parsed. */
        static Prepared of(TrainConfig config, Backbone backbone, InputShape shape, WeightSource weights) {
            DataSplits splits = Splitter.split(DataSource.open(config.data(), config.strict()), config.split());
            TrainSettings settings = FineTune.settings(config, backbone, splits);
            LoadedModel loaded = weights.load(backbone, shape, splits.numClasses(), config.seed());
            ComputationGraph initial = config.headWidth() > 0 ? Heads.denseHead(loaded.graph(), backbone, shape,
                    splits.numClasses(), config.headWidth(), config.dropout(), config.seed()) : loaded.graph();
            PipelineOptions options = new PipelineOptions(config.batch(), Augmentation.parse(config.augment(),
                    shape), true, 4);
            DataPipeline pipeline = new DataPipeline(splits, shape, backbone.normalization(), options,
                    new DecodeCache(cacheDir().resolve("decoded"), 2L << 30));
            FeatureCache.Key key = new FeatureCache.Key(backbone.name(), loaded.fingerprint(), "", shape.toString(),
                    backbone.normalization().name(), "");
            return new Prepared(backbone, splits, settings, loaded, initial, pipeline,
                    new FeatureCache(cacheDir().resolve("features")), key);
        }

        Trainer trainer(Checkpoints checkpoints, List<TrainingListener> listeners, EpochFitter fitter) {
            return new Trainer(backbone, settings, pipeline, features, key, checkpoints, listeners, fitter);
        }
    }

    private static RunResult execute(TrainConfig config, RunDirectory dir, PrintWriter out,
                                     List<TrainingListener> listeners, EpochFitter fitter) {
        long start = System.nanoTime();
        Backbone backbone = Backbones.get(config.model());
        InputShape shape = inputShape(config, backbone);
        Strategy strategy = Strategy.parse(config.strategy());
        List<Phase> phases = strategy.phases(config.epochs(), backbone.freezePoints()); // checks freeze point names
        int totalEpochs = Phase.endOf(phases);
        boolean freezes = phases.stream().anyMatch(p -> !p.frozen().isNone());
        WeightSource weights = WeightSource.parse(config.weights());
        if (freezes && !weights.pretrained()) {
            out.println("warning: --strategy " + config.strategy() + " freezes layers that have random weights "
                    + "(--weights " + config.weights() + "): they will never learn. Pass pretrained --weights "
                    + "(e.g. thaw:runs/NAME/model.zip from `pretrain`, imagenet) or use --strategy full.");
        }
        BatchNormMode.parse(config.batchNorm(), true, 0, backbone); // checks the value before the data is read

        Prepared p = Prepared.of(config, backbone, shape, weights);
        DataSplits splits = p.splits();
        TrainSettings settings = p.settings();
        BatchNormMode batchNorm = settings.batchNorm();
        String report = DataReport.render(splits);
        out.print(report);
        out.flush();
        dir.writeText("data-report.txt", report);
        dir.writeText("labels.txt", String.join("\n", splits.labels()) + "\n");
        LoadedModel loaded = p.loaded();
        FeatureCache features = p.features();

        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("config", config);
        provenance.put("data", splits.fingerprint());
        provenance.put("weights", loaded.fingerprint());
        provenance.put("batchNorm", batchNorm.name().toLowerCase());
        provenance.put("environment", Provenance.environment());
        dir.writeJson("provenance.json", provenance);

        Checkpoints checkpoints = new Checkpoints(dir.checkpoints());
        int done = checkpoints.state().map(Checkpoints.State::completedEpochs).orElse(0);
        List<EpochMetrics> previous = MetricsCsv.read(dir.metrics(), done);
        MetricsCsv.rewrite(dir.metrics(), previous);
        checkpoints.recovery().ifPresent(out::println);
        if (done > 0) {
            out.printf("resuming %s after epoch %d of %d%n", dir.path(), done, totalEpochs);
        }
        out.println(batchNorm == BatchNormMode.FROZEN
                ? "batchnorm: frozen (inference mode, pretrained statistics kept; --batchnorm train trains it)"
                : "batchnorm: train (batch statistics, running statistics updated; --batchnorm frozen keeps the "
                + "pretrained ones)");
        List<TrainingListener> all = new ArrayList<>(List.of(new ProgressPrinter(out, totalEpochs),
                new MetricsCsv(dir.metrics())));
        all.addAll(listeners);
        long trainStart = System.nanoTime();
        Trainer.Result result;
        if (!config.noStats() && !fitter.stepsRunHere()) {
            out.println("training statistics: not recorded (the steps run on the cluster's executors, whose DL4J "
                    + "listeners are not gathered); metrics.csv has every epoch");
        }
        boolean recordStats = !config.noStats() && fitter.stepsRunHere();
        try (StatsRecorder stats = recordStats ? StatsRecorder.openOrWarn(dir.path(), out) : null) {
            if (stats != null) {
                all.add(stats);
            }
            result = p.trainer(checkpoints, all, fitter).fit(p.initial(), previous);
        }
        long testStart = System.nanoTime();

        EvaluationReport evaluation = null;
        if (!config.skipTest()) {
            Split evalSplit = RunEvaluation.finalSplit(splits);
            evaluation = Evaluator.evaluate(result.model(), p.pipeline().evaluation(evalSplit), splits.labels(),
                    evalSplit.folderName(), 3);
            dir.writeJson("evaluation.json", evaluation);
            out.print(evaluation.render());
        }
        double testSeconds = (System.nanoTime() - testStart) / 1e9;
        ThawModelFile.save(result.model(), new ThawModelFile.Info(backbone.name(), shape.toString(), splits.labels(),
                provenance), dir.model(), false);
        GraphParts parts = new GraphParts(result.model());
        long trainable = parts.trainableParams(phases.get(phases.size() - 1).frozen(),
                batchNorm != BatchNormMode.FROZEN);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%s; model saved to %s (%.1f s: training %.1f s, testing %.1f s)%n", result.stopReason(),
                dir.model(), seconds, (testStart - trainStart) / 1e9, testSeconds);
        out.flush();
        return new RunResult(dir.path(), evaluation, result.history(), seconds, (testStart - trainStart) / 1e9,
                testSeconds, trainable, result.stopReason(),
                features.computed(), features.hits());
    }
}
