package dev.thaw.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop request (Ctrl-C, SIGTERM) mid-epoch loses no finished epoch: abandoned at once when the checkpoint holds
 * them all, else after the current epoch with the held-back ones written; the resumed run ends as an uninterrupted
 * one.
 */
class StopTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        StopSignal.clear();
    }

    private static Trainer trainer(Checkpoints checkpoints, List<TrainingListener> listeners) {
        return new Trainer(TinyData.SMALL, TinyData.settings("full", 3, 1e-2, false),
                TinyData.pipeline(TinyData.splits(150, 0)), new FeatureCache(null), null, checkpoints, listeners);
    }

    private static ComputationGraph graph() {
        return TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
    }

    /** Asks to stop at the first minibatch of the second epoch, and records which epochs finished. */
    private static final class StopInSecondEpoch implements TrainingListener {
        final List<Integer> finished = new ArrayList<>();

        @Override
        public void onBatch(int epoch, int batch, int batches, double loss, int examples) {
            if (epoch == 1 && batch == 0) {
                StopSignal.request("SIGTERM");
            }
        }

        @Override
        public void onEpochEnd(EpochMetrics m) {
            finished.add(m.epoch());
        }
    }

    @Test
    void withEveryFinishedEpochOnDiskTheCurrentOneIsAbandonedAtOnce() {
        stopAndResume(Checkpoints.everyEpoch(dir.resolve("every")), 1);
    }

    @Test
    void withEpochsHeldBackTheCurrentOneFinishesAndAllAreWritten() {
        // checkpoints that would wait for the end of the run: without the stop's flush, the disk would hold nothing
        stopAndResume(new Checkpoints(dir.resolve("held"), 1e12), 2);
    }

    private void stopAndResume(Checkpoints checkpoints, int expectedOnDisk) {
        ComputationGraph reference = trainer(null, List.of()).fit(graph(), List.of()).model();
        StopInSecondEpoch stopper = new StopInSecondEpoch();
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                () -> trainer(checkpoints, List.of(stopper)).fit(graph(), List.of()));
        assertEquals(expectedOnDisk, e.completedEpochs());
        assertEquals(expectedOnDisk, stopper.finished.size(), "epochs finished before stopping");
        assertEquals(expectedOnDisk, new Checkpoints(checkpoints.directory()).state().orElseThrow()
                .completedEpochs(), "every finished epoch is on disk: none lost");
        assertEquals(143, e.exitCode());

        StopSignal.clear();
        List<Integer> resumed = new ArrayList<>();
        ComputationGraph end = trainer(new Checkpoints(checkpoints.directory()), List.of(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics m) {
                resumed.add(m.epoch());
            }
        })).fit(graph(), List.of()).model();
        assertEquals(java.util.stream.IntStream.range(expectedOnDisk, 3).boxed().toList(), resumed);
        assertArrayEquals(reference.params().toFloatVector(), end.params().toFloatVector(), 1e-4f,
                "the same weights as without the stop");
    }
}
