package dev.thaw.engine.run;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.DecodeCache;
import dev.thaw.engine.data.PipelineOptions;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.data.Splitter;
import dev.thaw.engine.eval.EvaluationReport;
import dev.thaw.engine.eval.Evaluator;
import java.nio.file.Path;

/**
 * Scores a finished run folder after the fact: on one of its own splits (rebuilt from its {@code config.json}, so
 * exactly the images it was split into), or on every image of another dataset. {@code evaluate} uses it, and a sweep
 * scores only its winner on the test split this way instead of every candidate.
 */
public final class RunEvaluation {

    private RunEvaluation() {
    }

    /** The split a run's final score is on: test, or validation when the data has no test split. */
    public static Split finalSplit(DataSplits splits) {
        return splits.get(Split.TEST).isEmpty() ? Split.VAL : Split.TEST;
    }

    /**
     * The score {@link FineTune} gives a run at its end (on {@link #finalSplit}), for a run trained with
     * {@link TrainConfig#skipTest()}; saved as the run's {@code evaluation.json}.
     */
    public static EvaluationReport finalScore(Path run) {
        RunDirectory dir = RunDirectory.open(run);
        DataSplits splits = ownSplits(dir);
        EvaluationReport report = evaluate(TrainedModel.load(run), splits, finalSplit(splits),
                finalSplit(splits).folderName());
        dir.writeJson("evaluation.json", report);
        return report;
    }

    /** Scores on one of the run's own splits. */
    public static EvaluationReport onSplit(Path run, Split which) {
        DataSplits splits = ownSplits(RunDirectory.open(run)); // first: says so when run is not a run folder
        return evaluate(TrainedModel.load(run), splits, which, which.folderName());
    }

    /** Scores on every image of another dataset, its classes matched to the model's by name. */
    public static EvaluationReport onData(Path run, String data) {
        long seed = RunDirectory.open(run).readJson("config.json", TrainConfig.class).seed();
        TrainedModel model = TrainedModel.load(run);
        DataSplits splits = Splitter.split(DataSource.open(data, false),
                new SplitPlan(seed, 0, 0, 0, String.join(",", model.labels())));
        return evaluate(model, splits, Split.TRAIN, data);
    }

    private static DataSplits ownSplits(RunDirectory dir) {
        TrainConfig config = dir.readJson("config.json", TrainConfig.class);
        return Splitter.split(DataSource.open(config.data(), config.strict()), config.split());
    }

    private static EvaluationReport evaluate(TrainedModel model, DataSplits splits, Split which, String name) {
        if (!splits.labels().equals(model.labels())) {
            throw new IllegalArgumentException("the data's classes " + splits.labels() + " differ from the model's "
                    + model.labels());
        }
        DataPipeline pipeline = new DataPipeline(splits, model.input(), model.backbone().normalization(),
                PipelineOptions.DEFAULT, new DecodeCache(FineTune.cacheDir().resolve("decoded"), 2L << 30));
        return Evaluator.evaluate(model.graph(), pipeline.evaluation(which), model.labels(), name, 3);
    }
}
