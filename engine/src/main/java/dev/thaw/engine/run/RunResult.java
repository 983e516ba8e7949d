package dev.thaw.engine.run;

import dev.thaw.engine.eval.EvaluationReport;
import dev.thaw.engine.train.EpochMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * What a finished run produced.
 *
 * @param directory       the run folder
 * @param evaluation      scores on the test split (validation if there is no test split); null with
 *                        {@link TrainConfig#skipTest()}
 * @param history         per-epoch metrics
 * @param seconds         wall time of the whole run
 * @param trainSeconds    of which training (featurization, epochs, validation, checkpoints)
 * @param testSeconds     of which the final evaluation
 * @param trainableParams parameters trained in the last phase
 * @param stopReason      why training ended
 * @param featuresComputed frozen-prefix featurizations this run computed (cache misses)
 * @param featuresReused   featurizations served from the feature cache
 */
public record RunResult(Path directory, EvaluationReport evaluation, List<EpochMetrics> history, double seconds,
                        double trainSeconds, double testSeconds, long trainableParams, String stopReason, int featuresComputed, int featuresReused) {
}
