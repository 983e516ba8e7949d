package dev.thaw.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.cli.ThawCli;
import dev.thaw.engine.data.SplitPlan;
import dev.thaw.engine.run.FineTune;
import dev.thaw.engine.run.TrainConfig;
import dev.thaw.engine.train.StepCost;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auto}: the plan from measured costs, the budget kept, the answer, resuming; smallcnn on real images. */
class AutoTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void cacheDir() {
        System.setProperty("thaw.cache.dir", dir.resolve("cache").toString());
        System.setProperty("thaw.progress", "off");
    }

    @AfterAll
    static void clear() {
        System.clearProperty("thaw.cache.dir");
    }

    /** Made-up costs: each point's epoch costs {@code epoch} seconds; candidates 1 s besides; scoring 1 s. */
    private static SweepCosts costs(Map<String, Double> epoch) {
        Map<String, StepCost> perPoint = new java.util.LinkedHashMap<>();
        epoch.forEach((point, seconds) -> perPoint.put(point, new StepCost(0, seconds / 100, 0, 0)));
        return new SweepCosts(perPoint, 100, 10, 0, 10, 1, 2);
    }

    private static final Map<String, Double> POINTS = new java.util.LinkedHashMap<>(Map.of("full", 8.0, "mid", 2.0,
            "head", 0.5));

    @Test
    void planKeepsEveryPointAsLongAsItCanAndDropsTheDearestFirst() {
        List<String> points = List.of("full", "mid", "head");
        SweepCosts costs = costs(POINTS);
        AutoPlan roomy = AutoPlan.choose(10_000, points, costs);
        assertEquals(List.of("full", "mid", "head"), roomy.points());
        assertTrue(roomy.findRates());
        assertEquals(1, roomy.lrCount());
        assertEquals(27, roomy.maxEpochs());
        // per point a range test (1 s + 50 steps of 10 images: 5 epochs' worth) and 9 epochs (+1 s); the best one on
        // to 27, costed at the dearest point (full: whichever goes on, the budget holds); scoring 1 s
        double rung0 = (2 + 14 * 8.0) + (2 + 14 * 2.0) + (2 + 14 * 0.5);
        double rung1 = 1 + 18 * 8.0;
        assertEquals(rung0 + rung1 + 1, roomy.estimatedSeconds(), 1e-9);
        assertEquals(List.of(3, 1), roomy.rungs().stream().map(r -> r[0]).toList());

        AutoPlan shorter = AutoPlan.choose(roomy.estimatedSeconds() - 1, points, costs);
        assertEquals(points, shorter.points(), "fewer epochs before fewer points");
        assertEquals(9, shorter.maxEpochs());
        assertTrue(shorter.findRates());

        // every point one epoch at 1e-3, no range tests (9 + 3 + 1.5 + 1 s of scoring = 14.5 s), before fewer points
        AutoPlan noTests = AutoPlan.choose(20, points, costs);
        assertEquals(points, noTests.points());
        assertFalse(noTests.findRates());
        assertEquals(List.of(1e-3), noTests.learningRates());
        assertEquals(1, noTests.maxEpochs());

        AutoPlan tight = AutoPlan.choose(14, points, costs);
        assertEquals(List.of("mid", "head"), tight.points(), "full, the dearest, goes first");
        assertTrue(tight.estimatedSeconds() <= 14);

        AutoPlan smallest = AutoPlan.choose(3, points, costs);
        assertEquals(List.of("head"), smallest.points());
        assertEquals(1, smallest.lrCount());
        assertEquals(1, smallest.maxEpochs());

        var tooShort = assertThrows(IllegalArgumentException.class, () -> AutoPlan.choose(1, points, costs));
        assertTrue(tooShort.getMessage().contains("give --budget at least 1m"), tooShort.getMessage());
    }

    @Test
    void planSpecFindsEachPointsRateThenHalves() {
        AutoPlan plan = AutoPlan.choose(10_000, List.of("full", "mid", "head"), costs(POINTS));
        SweepSpec spec = plan.spec(7, 16);
        assertEquals("find", spec.search());
        assertEquals(AutoPlan.FIND_MIN, spec.lrMin());
        assertEquals(AutoPlan.FIND_MAX, spec.lrMax());
        assertEquals(AutoPlan.ETA, spec.halvingEta());
        assertEquals(List.of(16), spec.batchSizes());
        assertEquals(9, spec.minEpochs());
        assertEquals(27, spec.epochs());
        assertTrue(plan.render(600).startsWith("plan: freeze points full, mid, head, each at the rate its "
                + "learning-rate range test finds"), plan.render(600));
    }

    @Test
    void budgetsAreTimesWithUnits() {
        assertEquals(90, Auto.budgetSeconds("90s"));
        assertEquals(5400, Auto.budgetSeconds("1h30m"));
        assertEquals(1200, Auto.budgetSeconds("20m"));
        assertThrows(IllegalArgumentException.class, () -> Auto.budgetSeconds("20"));
        StringWriter err = new StringWriter();
        int code = ThawCli.run(new String[]{"auto", "--budget", "20"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertEquals(2, code);
        assertTrue(err.toString().contains("--budget '20': give a time with a unit"), err.toString());
    }

    @Test
    void aGateEndsTheSweepBeforeTheCandidateItRefuses() {
        Path d = dir.resolve("gated");
        int[] asked = {0};
        CandidateGate twoOnly = (config, done) -> ++asked[0] > 2 ? Optional.of("budget spent") : Optional.empty();
        SweepSpec spec = new SweepSpec(List.of("block3", "head"), 1e-3, 1e-2, null, null, null, null, null, 3,
                "grid", 2, 0, 0, 1, 3, 1);
        StringWriter out = new StringWriter();
        Sweep.Outcome outcome = Sweep.run(spec, SweepTest.base(1), d, new PrintWriter(out, true), twoOnly);
        assertEquals(2, outcome.records().size(), out.toString());
        assertTrue(out.toString().contains("not started: budget spent; the sweep ends here"), out.toString());
        assertTrue(outcome.best().isPresent());
        assertTrue(Files.exists(d.resolve("best").resolve("model.zip")), "the best so far is still exported");
        assertTrue(outcome.test().isPresent(), "and scored on the test split");
    }

    @Test
    void answersWithinItsBudgetWithARunnerUpAndResumes() throws Exception {
        // a pretrained smallcnn (other classes), so that freeze points are worth searching
        TrainConfig pre = TrainConfig.builder().data("fashion-mnist-sample")
                .split(new SplitPlan(42, 0.1, 0.1, 60, "3-5")).input("1x28x28").epochs(1).batch(16)
                .name("pre").build();
        FineTune.run(pre, dir.resolve("runs"), new PrintWriter(new StringWriter()));
        TrainConfig base = SweepTest.base(1).toBuilder().weights("thaw:" + dir.resolve("runs/pre/model.zip"))
                .strategy("head").lr(1e-3).build();
        Path d = dir.resolve("auto");
        double budget = 60;
        StringWriter out = new StringWriter();
        Auto.Outcome outcome = Auto.run(base, budget, d, new PrintWriter(out, true));
        String text = out.toString();

        AutoPlan plan = outcome.plan();
        assertEquals(List.of("full", "block1", "block2", "block3", "head"),
                SweepSpec.everyFreezePoint(dev.thaw.zoo.Backbones.get("smallcnn")));
        assertTrue(plan.costs().measureSeconds() + plan.estimatedSeconds() <= budget, text);
        assertTrue(outcome.seconds() <= budget * 1.1, "took " + outcome.seconds() + " s of " + budget + ":\n" + text);
        assertTrue(text.indexOf("plan: freeze points") < text.indexOf("rung 0"), "the plan is printed first");
        for (CandidateRecord r : outcome.sweep().records()) {
            assertTrue(plan.points().contains(r.freeze()), r.freeze() + " not in " + plan.points());
        }
        CandidateRecord best = outcome.best().orElseThrow();
        assertEquals(Sweep.best(outcome.sweep().records()).orElseThrow(), best);
        assertTrue(outcome.runnerUp().isPresent());
        assertTrue(best.score() >= outcome.runnerUp().get().score() || best.rung() > outcome.runnerUp().get().rung());
        assertTrue(text.contains("how sure: the runner-up"), text);
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "best: --strategy %s --lr %.3g",
                best.strategy(), best.lr())), text);
        assertTrue(text.contains("of the 60 s budget (planned"), text);
        assertTrue(Files.exists(d.resolve("best").resolve("model.zip")));
        assertTrue(Files.exists(d.resolve("auto-plan.json")));
        assertTrue(outcome.sweep().test().isPresent());

        StringWriter again = new StringWriter();
        Auto.Outcome resumed = Auto.run(base, budget, d, new PrintWriter(again, true));
        assertTrue(again.toString().contains("resuming with the plan in"), again.toString());
        assertFalse(again.toString().contains("measuring a training step"), "the saved plan is used as it is");
        assertEquals(outcome.sweep().records().size(), resumed.sweep().skipped(), "nothing trains again");
        assertEquals(best, resumed.best().orElseThrow());
    }
}
