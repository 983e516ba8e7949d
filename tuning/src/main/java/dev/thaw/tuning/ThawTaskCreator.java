package dev.thaw.tuning;

import dev.thaw.engine.run.TrainConfig;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

/**
 * Arbiter's hook for "evaluate this candidate": hands each generated {@link TrainConfig} to the
 * {@link CandidateRunner} and reports its validation accuracy back to Arbiter's runner, which tracks the best
 * candidate and applies the termination conditions. Data comes from the configuration, not from Arbiter.
 */
final class ThawTaskCreator implements TaskCreator {

    private final CandidateRunner runner;

    ThawTaskCreator(CandidateRunner runner) {
        this.runner = runner;
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
                                               ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                               IOptimizationRunner optimizationRunner) {
        return () -> {
            long start = System.currentTimeMillis();
            CandidateRecord r = runner.run(candidate.getIndex(), 0, (TrainConfig) candidate.getValue());
            CandidateInfo info = new CandidateInfo(candidate.getIndex(), r.ok() ? CandidateStatus.Complete
                    : CandidateStatus.Failed, r.ok() ? r.score() : null, start, start, System.currentTimeMillis(),
                    candidate.getFlatParameters(), r.ok() ? null : r.reason());
            return new OptimizationResult(candidate, r.ok() ? r.score() : null, candidate.getIndex(), r, info, null);
        };
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                               Properties dataSourceProperties, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return create(candidate, (DataProvider) null, scoreFunction, statusListeners, runner);
    }
}
