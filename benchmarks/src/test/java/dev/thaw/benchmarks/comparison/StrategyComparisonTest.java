package dev.thaw.benchmarks.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.tuning.ResultsLog;
import dev.thaw.zoo.Backbones;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class StrategyComparisonTest {

    @Test
    void defaultLineUpPlacesEveryFreezeStrategyOnTheDepthCurve() {
        List<ComparisonPlan.Entry> s = ComparisonPlan.defaultStrategies(Backbones.get("smallcnn"));
        assertEquals(List.of("scratch", "head", "freeze:block1", "freeze:block2", "freeze:block3", "full",
                "two-phase", "gradual", "discriminative"), s.stream().map(ComparisonPlan.Entry::name).toList());
        assertEquals(List.of(-1, 4, 1, 2, 3, 0, -1, -1, -1), s.stream().map(ComparisonPlan.Entry::depth).toList());
        assertEquals(List.of(10, 0), ComparisonPlan.parseBudgets("10, all"));
    }

    /**
     * A comparison whose every run is already in results.jsonl trains nothing when run again (it would fail here:
     * the "pretrained model" is an empty file) and writes a report naming the winner per budget, with a tie called
     * a tie.
     */
    @Test
    void finishedRunsAreNotRedoneAndTheReportNamesTheWinner(@TempDir Path dir) throws Exception {
        Path model = Files.createFile(dir.resolve("model.zip"));
        new ObjectMapper().writeValue(dir.resolve("pretrain.json").toFile(),
                new StrategyComparison.Pretraining(model.toString(), 0.9, 1));
        List<ComparisonPlan.Entry> strategies = List.of(new ComparisonPlan.Entry("scratch", -1, 1e-3),
                new ComparisonPlan.Entry("head", 1, 1e-2), new ComparisonPlan.Entry("full", 0, 1e-3));
        ComparisonPlan plan = new ComparisonPlan("smallcnn", "1x28x28", "fashion-mnist-sample", List.of(10, 100), 2,
                1, 1, 32, strategies);
        ResultsLog<ComparisonRun> log = new ResultsLog<>(dir.resolve("results.jsonl"), ComparisonRun.class);
        double[][] acc = {{0.50, 0.52}, {0.70, 0.72}, {0.60, 0.62}, {0.80, 0.90}, {0.75, 0.76}, {0.84, 0.87}};
        int i = 0;
        for (int budget : plan.budgets()) {
            for (ComparisonPlan.Entry e : strategies) {
                for (int seed = 1; seed <= 2; seed++) {
                    log.append(new ComparisonRun(e.name(), e.depth(), budget, seed, acc[i][seed - 1], 0, 1, 100));
                }
                i++;
            }
        }

        StrategyComparison.run(plan, dir, "test", "", false, "none");

        assertEquals(12, new ResultsLog<>(dir.resolve("results.jsonl"), ComparisonRun.class).all().size());
        String report = Files.readString(dir.resolve("REPORT.md"));
        assertTrue(report.contains("**10 labels per class**: head wins with 0.710 ± 0.014, 10.0 points ahead of "
                + "full; transfer beats scratch by 20.0 points."), report);
        assertTrue(report.contains("**100 labels per class**: full wins with 0.855 ± 0.021, 0.5 points ahead of "
                + "scratch (within one standard deviation: a tie)"), report);
        for (String png : List.of("accuracy-vs-depth.png", "accuracy-vs-labels.png", "wall-time.png",
                "trainable-params.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
        assertTrue(Files.readString(dir.resolve("report.html")).contains("<table>"));
    }
}
