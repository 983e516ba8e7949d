package dev.thaw.tuning;

import dev.thaw.engine.eval.EvaluationReport;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.zoo.AtomicFile;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.weights.WeightSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * "How much do I freeze, and at what learning rate?" answered within a time budget: measure what a training step
 * costs at each freeze point ({@link SweepCosts}), choose the most thorough search that fits ({@link AutoPlan}), run
 * it as a {@link Sweep} (a learning-rate range test per point, then successive halving) that starts no candidate the
 * remaining budget cannot pay for, and report the winner with its runner-up. The folder is an ordinary sweep folder
 * (report, {@code best/}) plus {@code auto-plan.json}; re-running the same command resumes with the saved plan.
 */
public final class Auto {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param plan     what was searched
     * @param sweep    the sweep's outcome (every record, the best, its test score)
     * @param ranking  each candidate at its largest budget, best first (failed ones left out)
     * @param seconds  wall time of this invocation, measuring included
     * @param budget   the budget it was given, in seconds
     */
    public record Outcome(AutoPlan plan, Sweep.Outcome sweep, List<CandidateRecord> ranking, double seconds,
                          double budget) {

        /** The sweep's best: the exported run. */
        public Optional<CandidateRecord> best() {
            return sweep.best();
        }

        /** The next in the ranking: how far behind it is says how sure the answer is. */
        public Optional<CandidateRecord> runnerUp() {
            return ranking.stream().filter(r -> best().map(b -> b.index() != r.index()).orElse(true)).findFirst();
        }
    }

    private Auto() {
    }

    /**
     * Answers within {@code budgetSeconds} for {@code base} (its data, backbone, weights, input and batch size; its
     * strategy and learning rate are what is searched), in sweep folder {@code dir}.
     */
    public static Outcome run(TrainConfig base, double budgetSeconds, Path dir, PrintWriter out) {
        return run(base, budgetSeconds, points(base, out), dir, out);
    }

    /** As {@link #run(TrainConfig, double, Path, PrintWriter)}, over the given freeze points, most trained first. */
    public static Outcome run(TrainConfig base, double budgetSeconds, List<String> points, Path dir,
                              PrintWriter out) {
        long start = System.nanoTime();
        AutoPlan plan = plan(base, budgetSeconds, points, dir, out);
        out.print(plan.render(budgetSeconds));
        out.flush();
        Sweep.Outcome sweep = Sweep.run(plan.spec(base.seed(), base.batch()), base, dir, out,
                new BudgetGate(plan, start, budgetSeconds));
        List<CandidateRecord> ranking = SweepReport.finalRecords(sweep.records()).stream()
                .filter(CandidateRecord::ok).toList();
        Outcome outcome = new Outcome(plan, sweep, ranking, (System.nanoTime() - start) / 1e9, budgetSeconds);
        out.print(answer(outcome, dir));
        out.flush();
        return outcome;
    }

    /** A budget written as {@code 90s}, {@code 20m}, {@code 1h30m}, in seconds. */
    public static double budgetSeconds(String text) {
        try {
            double s = Duration.parse("PT" + text.trim().toUpperCase(Locale.ROOT)).toMillis() / 1000.0;
            if (s > 0) {
                return s;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "': give a time with a unit, such as 90s, 20m or 1h30m");
    }

    /** The saved plan of this folder, or a new one from fresh measurements. */
    private static AutoPlan plan(TrainConfig base, double budgetSeconds, List<String> points, Path dir,
                                 PrintWriter out) {
        Path file = dir.resolve("auto-plan.json");
        try {
            if (Files.exists(file)) {
                AutoPlan saved = JSON.readValue(file.toFile(), AutoPlan.class);
                out.println("resuming with the plan in " + file + " (a new plan needs a new --dir)");
                return saved;
            }
            SweepCosts costs = SweepCosts.measure(base, points, out);
            AutoPlan plan = AutoPlan.choose(budgetSeconds - costs.measureSeconds(), points, costs);
            // read back on resume: written whole or not at all
            AtomicFile.write(file, tmp -> JSON.writeValue(tmp.toFile(), plan));
            return plan;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every freeze point of the backbone, most trained first: {@code full}, its points, {@code head}. From random
     * weights only {@code full}: frozen random layers never learn.
     */
    static List<String> points(TrainConfig base, PrintWriter out) {
        if (!WeightSource.parse(base.weights()).pretrained()) {
            out.println("--weights " + base.weights() + " is not pretrained: freezing random layers learns nothing, "
                    + "so only the learning rate of full training is searched (pass pretrained --weights to search "
                    + "freeze points too)");
            return List.of("full");
        }
        return SweepSpec.everyFreezePoint(Backbones.get(base.model()));
    }

    /** The answer table, how sure it is (the runner-up and the gap) and planned against actual time. */
    static String answer(Outcome o, Path dir) {
        StringBuilder sb = new StringBuilder("\nanswer:\n");
        sb.append(String.format(Locale.ROOT, "  %-4s  %-8s  %-8s  %-6s  %s%n", "rank", "freeze", "lr", "epochs",
                "val acc"));
        for (int i = 0; i < Math.min(5, o.ranking().size()); i++) {
            CandidateRecord r = o.ranking().get(i);
            sb.append(String.format(Locale.ROOT, "  %-4d  %-8s  %-8.2e  %-6d  %.4f%n", i + 1, r.freeze(), r.lr(),
                    r.epochs(), r.score()));
        }
        if (o.best().isEmpty()) {
            sb.append("  no candidate finished: see ").append(dir.resolve("report.md")).append('\n');
        }
        o.best().ifPresent(best -> {
            Optional<EvaluationReport> test = o.sweep().test();
            sb.append(String.format(Locale.ROOT, "best: --strategy %s --lr %.3g --epochs %d: validation %.4f%s%n",
                    best.strategy(), best.lr(), best.epochs(), best.score(), test.map(t -> String.format(Locale.ROOT,
                            ", %s %.4f (%d images)", t.split(), t.accuracy(), t.examples())).orElse("")));
            o.runnerUp().ifPresent(second -> {
                int images = o.plan().costs().valImages();
                String fewer = second.epochs() < best.epochs() ? "; it trained fewer epochs" : "";
                sb.append(String.format(Locale.ROOT, "how sure: the runner-up (%s, lr %.2e, %d epochs) is %.1f "
                                + "points behind on %d validation images (one image = %.2f points)%s%n",
                        second.freeze(), second.lr(), second.epochs(), 100 * (best.score() - second.score()), images,
                        100.0 / Math.max(1, images), fewer));
            });
            sb.append("best run: ").append(dir.resolve("best")).append(" (use it with evaluate, predict)\n");
        });
        sb.append(String.format(Locale.ROOT, "time: %.0f s of the %.0f s budget (planned %.0f s: %.0f s measuring "
                        + "+ %.0f s search)%n", o.seconds(), o.budget(),
                o.plan().costs().measureSeconds() + o.plan().estimatedSeconds(), o.plan().costs().measureSeconds(),
                o.plan().estimatedSeconds()));
        return sb.toString();
    }

    /**
     * Starts a candidate only if its estimated cost and the winner's test scoring still fit the budget; a freeze
     * point's first candidate pays for featurizing it, unless the point's range test did. Estimates are corrected as
     * the sweep goes: each is scaled by how long the candidates admitted so far actually took against their estimates
     * (the time from one admission to the next), as a step on one random minibatch leaves out part of what a real
     * candidate does.
     */
    private static final class BudgetGate implements CandidateGate {
        private final SweepCosts costs;
        private final long start;
        private final double budget;
        private final Set<String> featurized = new HashSet<>();
        private long lastAdmitted = -1;
        private double lastEstimate;
        private double estimated;
        private double actual;

        BudgetGate(AutoPlan plan, long start, double budget) {
            this.costs = plan.costs();
            this.start = start;
            this.budget = budget;
            if (plan.findRates()) {
                featurized.addAll(plan.points()); // by the range tests, before any candidate
            }
        }

        @Override
        public Optional<String> refuse(TrainConfig config, int epochsDone) {
            long now = System.nanoTime();
            if (lastAdmitted >= 0) {
                actual += (now - lastAdmitted) / 1e9;
                estimated += lastEstimate;
            }
            double scale = estimated > 0 ? actual / estimated : 1;
            String point = CandidateRunner.freezeOf(config.strategy());
            double estimate = epochsDone == 0 ? costs.firstRun(point, config.epochs(), !featurized.contains(point))
                    : costs.extension(point, epochsDone, config.epochs());
            double need = estimate * scale + costs.finish();
            double left = budget - (now - start) / 1e9;
            if (need > left) {
                return Optional.of(String.format(Locale.ROOT, "it needs about %.0f s with the final test score "
                        + "(estimates x %.2f, from the candidates so far), %.0f s of the budget are left", need, scale,
                        left));
            }
            featurized.add(point);
            lastAdmitted = now;
            lastEstimate = estimate;
            return Optional.empty();
        }
    }
}
