package dev.thaw.tuning;

import java.util.List;

/**
 * One line of a sweep's {@code results.jsonl}: a candidate trained to a budget, whatever the outcome.
 *
 * @param index       Arbiter's candidate number
 * @param rung        successive-halving rung (0 without halving)
 * @param epochs      epochs the candidate had trained when recorded
 * @param strategy    strategy spec it trained with
 * @param freeze      freeze point chosen by the search
 * @param lr          learning rate
 * @param updater     updater
 * @param batch       minibatch size
 * @param status      {@code ok} or {@code failed}
 * @param reason      why it failed (empty when ok)
 * @param valScores   validation accuracy after each epoch
 * @param score       final validation accuracy (the sweep maximizes it); NaN when failed
 * @param seconds     wall time spent on this record's training
 * @param featuresComputed frozen-prefix featurizations computed (feature cache misses)
 * @param featuresReused   featurizations served from the cache
 * @param runDir      the candidate's run folder
 */
public record CandidateRecord(int index, int rung, int epochs, String strategy, String freeze, double lr,
                              String updater, int batch, String status, String reason, List<Double> valScores,
                              double score, double seconds, int featuresComputed, int featuresReused,
                              String runDir) {

    public boolean ok() {
        return "ok".equals(status);
    }
}
