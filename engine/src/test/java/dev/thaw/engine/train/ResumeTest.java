package dev.thaw.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed after an epoch continues from its checkpoint and ends where an uninterrupted run ends. */
class ResumeTest {

    @TempDir
    Path dir;

    /** Stands in for kill -9 right after an epoch's checkpoint was written. */
    private static final class Kill extends RuntimeException {
    }

    private Trainer trainer(String strategy, Checkpoints checkpoints, List<TrainingListener> listeners, double lr) {
        return new Trainer(TinyData.SMALL, TinyData.settings(strategy, 3, lr, false),
                TinyData.pipeline(TinyData.splits(150, 0)), new FeatureCache(null), null, checkpoints, listeners);
    }

    @Test
    void killedRunResumesFromItsLastEpochAndMatchesAnUninterruptedRun() {
        for (String strategy : List.of("freeze:block2", "two-phase:2")) {
            ComputationGraph reference = trainer(strategy, null, List.of(), 1e-2)
                    .fit(TinyData.SMALL.build(TinyData.SHAPE, 3, 5), List.of()).model();

            Checkpoints checkpoints = new Checkpoints(dir.resolve(strategy.replace(':', '_')));
            List<Integer> epochsRun = new ArrayList<>();
            TrainingListener killAfterSecond = new TrainingListener() {
                @Override
                public void onEpochEnd(EpochMetrics m) {
                    epochsRun.add(m.epoch());
                    if (m.epoch() == 1) {
                        throw new Kill();
                    }
                }
            };
            assertThrows(Kill.class, () -> trainer(strategy, checkpoints, List.of(killAfterSecond), 1e-2)
                    .fit(TinyData.SMALL.build(TinyData.SHAPE, 3, 5), List.of()));
            assertEquals(2, checkpoints.state().orElseThrow().completedEpochs());

            List<Integer> resumedEpochs = new ArrayList<>();
            TrainingListener record = new TrainingListener() {
                @Override
                public void onEpochEnd(EpochMetrics m) {
                    resumedEpochs.add(m.epoch());
                }
            };
            Trainer.Result resumed = trainer(strategy, checkpoints, List.of(record), 1e-2)
                    .fit(TinyData.SMALL.build(TinyData.SHAPE, 3, 5), List.of());
            assertEquals(List.of(2), resumedEpochs, strategy + ": only the missing epoch runs");
            assertArrayEquals(reference.params().toFloatVector(), resumed.model().params().toFloatVector(), 1e-4f,
                    strategy + ": same weights as without the kill");
        }
    }

    @Test
    void divergingLossStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint() {
        Checkpoints checkpoints = new Checkpoints(dir.resolve("nan"));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer("full", checkpoints, List.of(), 1e9).fit(TinyData.SMALL.build(TinyData.SHAPE, 3, 5),
                        List.of()));
        assertTrue(e.getMessage().startsWith("training diverged: the loss became"), e.getMessage());
        assertTrue(e.getMessage().contains("Lower --lr (now 1.0E9)"), e.getMessage());
    }
}
