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

    /** Stands in for kill -9 after an epoch's record, before its checkpoint (the next epoch's record comes first). */
    private static final class Kill extends RuntimeException {
    }

    private Trainer trainer(String strategy, Checkpoints checkpoints, List<TrainingListener> listeners, double lr) {
        return new Trainer(TinyData.SMALL, TinyData.settings(strategy, 3, lr, false),
                TinyData.pipeline(TinyData.splits(150, 0)), new FeatureCache(null), null, checkpoints, listeners);
    }

    @Test
    void killedRunResumesFromItsLastEpochAndMatchesAnUninterruptedRun() {
        for (boolean paced : List.of(false, true)) {
            for (String strategy : List.of("freeze:block2", "two-phase:2")) {
                killAndResume(strategy, paced);
            }
        }
    }

    /**
     * Killed after epoch 3's record, before its checkpoint: the resumed run redoes epoch 3 (and with paced checkpoints
     * whatever they held back) and still ends the same.
     */
    private void killAndResume(String strategy, boolean paced) {
        String what = strategy + (paced ? ", paced checkpoints" : ", a checkpoint every epoch");
        ComputationGraph reference = trainer(strategy, null, List.of(), 1e-2)
                .fit(TinyData.SMALL.build(TinyData.SHAPE, 3, 5), List.of()).model();

        Path folder = dir.resolve(strategy.replace(':', '_') + (paced ? "-paced" : ""));
        Checkpoints checkpoints = paced ? new Checkpoints(folder) : Checkpoints.everyEpoch(folder);
        TrainingListener killAtThird = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics m) {
                int checkpointed = checkpoints.state().map(Checkpoints.State::completedEpochs).orElse(0);
                assertTrue(paced ? checkpointed <= m.epoch() : checkpointed == m.epoch(),
                        what + ": epoch " + m.epoch() + "'s record comes before its checkpoint (" + checkpointed + ")");
                if (m.epoch() == 2) {
                    throw new Kill();
                }
            }
        };
        assertThrows(Kill.class, () -> trainer(strategy, checkpoints, List.of(killAtThird), 1e-2)
                .fit(TinyData.SMALL.build(TinyData.SHAPE, 3, 5), List.of()));
        int written = checkpoints.state().map(Checkpoints.State::completedEpochs).orElse(0);
        if (paced) {
            assertTrue(written <= 2, what + ": at most the two epochs run, got " + written);
        } else {
            assertEquals(2, written, what);
        }

        List<Integer> resumedEpochs = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics m) {
                resumedEpochs.add(m.epoch());
            }
        };
        Trainer.Result resumed = new Trainer(TinyData.SMALL, TinyData.settings(strategy, 3, 1e-2, false),
                TinyData.pipeline(TinyData.splits(150, 0)), new FeatureCache(null), null,
                paced ? new Checkpoints(folder) : Checkpoints.everyEpoch(folder), List.of(record))
                .fit(TinyData.SMALL.build(TinyData.SHAPE, 3, 5), List.of());
        assertEquals(java.util.stream.IntStream.range(written, 3).boxed().toList(), resumedEpochs,
                what + ": only the missing epochs run");
        assertArrayEquals(reference.params().toFloatVector(), resumed.model().params().toFloatVector(), 1e-4f,
                what + ": same weights as without the kill");
        assertEquals(3, new Checkpoints(folder).state().orElseThrow().completedEpochs(),
                what + ": the end of training is always written");
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
