package dev.thaw.tuning;

import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;

/**
 * Stops Arbiter's runner when the generator has nothing left and nothing is running. Arbiter checks only its
 * termination conditions, and a candidate whose configuration failed to generate is counted neither as completed
 * nor as failed, so without this a finished grid could leave the runner polling forever.
 */
final class GeneratorExhausted implements TerminationCondition {

    private final transient CandidateGenerator generator;

    GeneratorExhausted(CandidateGenerator generator) {
        this.generator = generator;
    }

    @Override
    public void initialize(IOptimizationRunner runner) {
    }

    @Override
    public boolean terminate(IOptimizationRunner runner) {
        return !generator.hasMoreCandidates() && runner.numCandidatesQueued() == 0;
    }
}
