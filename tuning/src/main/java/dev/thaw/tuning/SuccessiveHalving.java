package dev.thaw.tuning;

import dev.thaw.engine.run.TrainConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;

/**
 * Successive halving over Arbiter's candidates: every candidate gets {@code minEpochs}; the best 1/eta go on to
 * eta times as many (continuing from their checkpoint, not starting over), and so on until the full epoch budget or
 * a single candidate is left. Most of the time goes to the promising configurations. A {@link CandidateGate} may end
 * the search before a candidate starts (a spent time budget).
 */
final class SuccessiveHalving {

    private SuccessiveHalving() {
    }

    static List<CandidateRecord> run(CandidateGenerator generator, int count, SweepSpec spec, CandidateRunner runner,
                                     CandidateGate gate, PrintWriter out) {
        List<Candidate> alive = new ArrayList<>();
        for (int i = 0; i < count && generator.hasMoreCandidates(); i++) {
            alive.add(generator.getCandidate());
        }
        List<CandidateRecord> finals = new ArrayList<>();
        int epochs = Math.min(spec.minEpochs(), spec.epochs());
        int epochsBefore = 0;
        for (int rung = 0; !alive.isEmpty(); rung++) {
            out.printf("rung %d: %d candidate(s) at %d epoch(s)%n", rung, alive.size(), epochs);
            AtomicReference<String> refused = new AtomicReference<>();
            int thisRung = rung;
            int rungEpochs = epochs;
            int epochsDone = epochsBefore;
            List<CandidateRecord> results = runner.inOrder(alive, c -> start(c, thisRung, rungEpochs, epochsDone,
                    runner, gate, refused, out));
            boolean last = epochs >= spec.epochs() || alive.size() == 1 || refused.get() != null;
            if (last) {
                finals.addAll(results);
                break;
            }
            int keep = Math.max(1, alive.size() / spec.halvingEta());
            List<Integer> promoted = results.stream().filter(CandidateRecord::ok)
                    .sorted(Comparator.comparingDouble(CandidateRecord::score).reversed())
                    .limit(keep).map(CandidateRecord::index).toList();
            alive = alive.stream().filter(c -> promoted.contains(c.getIndex())).toList();
            epochsBefore = epochs;
            epochs = Math.min(spec.epochs(), epochs * spec.halvingEta());
        }
        return finals;
    }

    /** Trains one candidate of a rung, unless the gate refuses it (then empty, the reason in {@code refused}). */
    private static Optional<CandidateRecord> start(Candidate c, int rung, int epochs, int epochsBefore,
                                                   CandidateRunner runner, CandidateGate gate,
                                                   AtomicReference<String> refused, PrintWriter out) {
        TrainConfig config = ((TrainConfig) c.getValue()).toBuilder().epochs(epochs).build();
        if (!runner.recorded(c.getIndex(), rung)) {
            Optional<String> no = gate.refuse(config, epochsBefore);
            if (no.isPresent()) {
                out.printf("  c%03d rung %d  not started: %s; the sweep ends here%n", c.getIndex(), rung, no.get());
                refused.set(no.get());
                return Optional.empty();
            }
        }
        return Optional.of(runner.run(c.getIndex(), rung, config));
    }
}
