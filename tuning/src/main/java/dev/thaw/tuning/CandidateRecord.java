package dev.thaw.tuning;

import dev.thaw.engine.run.TrainConfig;
import java.util.List;
import java.util.Locale;

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
 * @param headWidth   width of the dense layer added before the output (0: the backbone's own head)
 * @param dropout     dropout probability of that layer
 * @param status      {@code ok}, {@code failed}, or {@code interrupted} (stopped by Ctrl-C or SIGTERM: trained
 *                    again, from its checkpoint, when the sweep resumes)
 * @param reason      why it failed (empty when ok)
 * @param valScores   validation accuracy after each epoch
 * @param score       validation accuracy of the epoch the candidate keeps as its model, its best so far (the sweep
 *                    maximizes it); NaN when failed
 * @param seconds     wall time spent on this record's training
 * @param featuresComputed frozen-prefix featurizations computed (feature cache misses)
 * @param featuresReused   featurizations served from the cache
 * @param runDir      the candidate's run folder
 */
public record CandidateRecord(int index, int rung, int epochs, String strategy, String freeze, double lr,
                              String updater, int batch, int headWidth, double dropout, String status, String reason,
                              List<Double> valScores, double score, double seconds, int featuresComputed,
                              int featuresReused, String runDir) {

    /** A record of a finished training of {@code config}, or of its failure ({@code reason} not empty). */
    static CandidateRecord of(int index, int rung, TrainConfig config, String reason, List<Double> valScores,
                              double seconds, int featuresComputed, int featuresReused, String runDir) {
        boolean ok = reason.isEmpty();
        return of(index, rung, config, ok ? "ok" : "failed", reason, valScores,
                ok ? valScores.stream().mapToDouble(v -> v).max().orElse(Double.NaN) : Double.NaN, seconds,
                featuresComputed, featuresReused, runDir);
    }

    /** A record of {@code task} failing for {@code reason} (a worker elsewhere that could not train it). */
    public static CandidateRecord failed(CandidateTask task, String reason, double seconds) {
        return of(task.index(), task.rung(), task.config(), reason, List.of(), seconds, 0, 0, task.runDir());
    }

    /** A candidate stopped by {@code signal} before it finished: kept in the log to say so, trained again on resume. */
    static CandidateRecord interrupted(int index, int rung, TrainConfig config, String signal, double seconds,
                                       String runDir) {
        return of(index, rung, config, "interrupted", "stopped by " + signal, List.of(), Double.NaN, seconds, 0, 0,
                runDir);
    }

    private static CandidateRecord of(int index, int rung, TrainConfig config, String status, String reason,
                                      List<Double> valScores, double score, double seconds, int featuresComputed,
                                      int featuresReused, String runDir) {
        return new CandidateRecord(index, rung, config.epochs(), config.strategy(),
                CandidateRunner.freezeOf(config.strategy()), config.lr(), config.updater(), config.batch(),
                config.headWidth(), config.dropout(), status, reason, valScores, score, seconds, featuresComputed,
                featuresReused, runDir);
    }

    /** The head it trained, as tables show it: the backbone's own, or the added dense layer. */
    public String head() {
        return headWidth == 0 ? "own" : String.format(Locale.ROOT, "dense %d, dropout %.2f", headWidth,
                dropout);
    }

    public boolean ok() {
        return "ok".equals(status);
    }

    /** Stopped before it finished: not a result; the sweep trains it again when resumed. */
    public boolean interrupted() {
        return "interrupted".equals(status);
    }

    /** The status as reports show it. */
    public String describeStatus() {
        return ok() ? "ok" : interrupted() ? "interrupted (" + reason + "; trained again on resume)"
                : "failed: " + reason;
    }
}
