package dev.thaw.tuning;

import dev.thaw.engine.run.TrainConfig;

/**
 * One candidate to train to one budget: what a {@link CandidateWorker} is handed. Plain data, so that it travels
 * as JSON to another process (a Spark executor) and back as a {@link CandidateRecord}.
 *
 * @param index  Arbiter's candidate number
 * @param rung   successive-halving rung (0 without halving)
 * @param config what to train, its epochs the budget of this rung
 * @param runDir the candidate's run folder ({@code SWEEP/candidates/cNNN})
 */
public record CandidateTask(int index, int rung, TrainConfig config, String runDir) {

    /** The candidate's name, as folders and logs show it. */
    public String name() {
        return String.format("c%03d", index);
    }
}
