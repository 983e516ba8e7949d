package dev.thaw.tuning;

import dev.thaw.engine.run.TrainConfig;
import java.util.Optional;

/**
 * Whether a sweep may start a candidate's next training: {@code auto} ends its sweep when the next candidate would
 * not fit the time budget. Candidates already in the results log are never asked about (they are not trained again).
 * Applies to successive-halving sweeps, which {@code auto} runs.
 */
@FunctionalInterface
public interface CandidateGate {

    /** Lets every candidate run. */
    CandidateGate ALL = (config, epochsDone) -> Optional.empty();

    /**
     * @param config     the candidate, with the epochs it is to reach
     * @param epochsDone epochs it has already trained (a promoted candidate continues from there)
     * @return empty to let it run; else why not, and the sweep stops starting candidates
     */
    Optional<String> refuse(TrainConfig config, int epochsDone);
}
