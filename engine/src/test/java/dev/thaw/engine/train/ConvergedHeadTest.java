package dev.thaw.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.data.DataPipeline;
import dev.thaw.engine.data.Split;
import dev.thaw.zoo.FreezePoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@code two-phase} trains the head on cached features until validation accuracy stops improving, and the body
 * phase starts from the best head: the phase ends {@link HeadConvergence#PATIENCE} epochs after its best one, the
 * checkpoint written at its end holds the best epoch's head (it scores that epoch's validation accuracy and loss),
 * and a run killed there resumes with the body phase alone.
 */
class ConvergedHeadTest {

    @TempDir
    Path dir;

    /** Stands in for kill -9 right after the head phase. */
    private static final class Kill extends RuntimeException {
    }

    @Test
    void twoPhaseWithoutANumberConvergesTheHeadThenTrainsEveryEpochOfTheBody() {
        FreezePoints points = TinyData.SMALL.freezePoints();
        List<Phase> phases = Strategy.parse("two-phase").phases(3, points);
        assertEquals(2, phases.size());
        assertTrue(phases.get(0).untilConverged());
        assertEquals(points.deepest(), phases.get(0).frozen());
        assertEquals(Strategy.TwoPhase.MAX_HEAD_EPOCHS, phases.get(0).epochs());
        assertEquals(new Phase(Strategy.TwoPhase.MAX_HEAD_EPOCHS, 3, points.resolve("none"), 0.1, 1,
                Phase.HEAD_LR_FACTOR), phases.get(1), "--epochs counts the body's epochs");
        assertEquals(phases, Strategy.parse("two-phase:auto").phases(3, points));
        assertEquals("block2", Strategy.parse("two-phase:auto:block2").phases(3, points).get(1).frozen().name());
        assertTrue(!Strategy.parse("two-phase:2").phases(3, points).get(0).untilConverged(),
                "two-phase:K keeps K head epochs");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategy.parse("two-phase:0"));
        assertTrue(e.getMessage().contains("two-phase:auto"), e.getMessage());
    }

    @Test
    void theBodyPhaseStartsFromTheBestHeadAndAResumedRunSkipsTheHeadPhase() {
        DataPipeline pipeline = TinyData.pipeline(TinyData.splits(150, 0));
        Path folder = dir.resolve("run");
        List<EpochMetrics> headEpochs = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        TrainingListener killAfterHead = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics m) {
                headEpochs.add(m);
            }

            @Override
            public void onPhaseEnd(Phase phase, String summary) {
                summaries.add(summary);
                throw new Kill();
            }
        };
        assertThrows(Kill.class, () -> trainer(pipeline, Checkpoints.everyEpoch(folder), killAfterHead)
                .fit(TinyData.SMALL.build(TinyData.SHAPE, 3, 5), List.of()));

        List<Double> val = headEpochs.stream().map(EpochMetrics::valAccuracy).toList();
        Matcher kept = Pattern.compile("the head of epoch (\\d+) goes on \\(validation accuracy ([0-9.]+), loss "
                + "([0-9.]+)\\)").matcher(summaries.get(0));
        assertTrue(kept.find(), summaries.get(0));
        int best = Integer.parseInt(kept.group(1)) - 1;
        double bestLoss = Double.parseDouble(kept.group(3));
        assertEquals(val.get(best), Double.parseDouble(kept.group(2)), 1e-4, summaries.get(0));
        assertEquals(IntStream.range(0, val.size()).reduce((a, b) -> val.get(b) > val.get(a) ? b : a).orElseThrow(),
                best, "the first epoch of the best validation accuracy: " + val);
        assertTrue(val.size() == Math.min(best + 1 + HeadConvergence.PATIENCE, Strategy.TwoPhase.MAX_HEAD_EPOCHS),
                "the head phase ends " + HeadConvergence.PATIENCE + " epochs after its best (epoch " + (best + 1)
                        + "), at most at the cap; it ran " + val.size() + ": " + val);
        assertTrue(best < val.size() - 1, "a test that could fail: the best head is not the last one");
        assertTrue(headEpochs.stream().allMatch(EpochMetrics::featurized), "the head trains from cached features");

        Checkpoints checkpoints = Checkpoints.everyEpoch(folder);
        assertEquals(Strategy.TwoPhase.MAX_HEAD_EPOCHS, checkpoints.state().orElseThrow().completedEpochs(),
                "the checkpoint at the head phase's end says the body phase comes next");
        ComputationGraph written = checkpoints.restoreLast();
        List<DataSet> batches = new ArrayList<>();
        pipeline.evaluation(Split.VAL).forEachRemaining(batches::add);
        assertEquals(bestLoss, written.score(DataSet.merge(batches)), 1e-4,
                "the checkpoint holds the best epoch's head, not the last one's");
        assertEquals(val.get(best), written.evaluate(pipeline.evaluation(Split.VAL)).accuracy(), 1e-9);

        List<Integer> resumed = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics m) {
                resumed.add(m.epoch());
            }
        };
        trainer(pipeline, Checkpoints.everyEpoch(folder), record)
                .fit(TinyData.SMALL.build(TinyData.SHAPE, 3, 5), List.of());
        int cap = Strategy.TwoPhase.MAX_HEAD_EPOCHS;
        assertEquals(List.of(cap, cap + 1), resumed, "the resumed run trains the body's 2 epochs only");
    }

    private static Trainer trainer(DataPipeline pipeline, Checkpoints checkpoints, TrainingListener listener) {
        return new Trainer(TinyData.SMALL, TinyData.settings("two-phase", 2, 1e-2, true), pipeline,
                new FeatureCache(null), TinyData.key(), checkpoints, List.of(listener));
    }
}
