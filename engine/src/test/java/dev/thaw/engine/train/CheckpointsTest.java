package dev.thaw.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void epochsCheaperThanTheirCheckpointAreWrittenLaterWithTheBestWeightsKept() {
        ComputationGraph g = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        Checkpoints checkpoints = new Checkpoints(dir);
        checkpoints.epochEnded(g, new Checkpoints.State(1, 0, 0.5, 0), true, 1e-9);
        assertTrue(checkpoints.state().isEmpty(), "an epoch far cheaper than its checkpoint would be waits");
        checkpoints.epochEnded(g, new Checkpoints.State(1, 0, 0.5, 0), true, 60);
        assertEquals(1, checkpoints.state().orElseThrow().completedEpochs(), "a long epoch is written at once");

        float[] bestWeights = g.params().addi(1).toFloatVector(); // "epoch 2" trained and is the best
        checkpoints.epochEnded(g, new Checkpoints.State(2, 1, 0.7, 0), true, 1e-9);
        assertEquals(1, checkpoints.state().orElseThrow().completedEpochs(),
                "an epoch far cheaper than the last write waits");
        g.params().addi(1); // "epoch 3", worse
        checkpoints.epochEnded(g, new Checkpoints.State(3, 1, 0.7, 1), false, 1e-9);

        float[] lastWeights = g.params().toFloatVector();
        checkpoints.flush(g);
        assertEquals(new Checkpoints.State(3, 1, 0.7, 1), checkpoints.state().orElseThrow());
        assertArrayEquals(bestWeights, checkpoints.restoreBest().orElseThrow().params().toFloatVector(),
                "best.zip holds epoch 2's weights, kept in memory until the write");
        assertArrayEquals(lastWeights, checkpoints.restoreLast().params().toFloatVector());
        assertArrayEquals(lastWeights, g.params().toFloatVector(), "the training graph keeps its own weights");
    }

    @Test
    void aDamagedCheckpointIsReportedByPathWithTheWayOut() throws Exception {
        ComputationGraph g = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        Checkpoints checkpoints = Checkpoints.everyEpoch(dir);
        checkpoints.epochEnded(g, new Checkpoints.State(1, 0, 0.5, 0), true, 1e-9);
        Path last = dir.resolve("last.zip");
        byte[] whole = Files.readAllBytes(last);
        Files.write(last, Arrays.copyOf(whole, whole.length / 2)); // cut after the write
        IllegalStateException e = assertThrows(IllegalStateException.class, checkpoints::restoreLast);
        assertTrue(e.getMessage().startsWith("checkpoint " + last + " is damaged ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("): delete " + dir + " to start the run afresh"), e.getMessage());
    }

    @Test
    void aCutLastCheckpointFallsBackToThePreviousOneAndSaysSo() throws Exception {
        ComputationGraph g = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        Checkpoints checkpoints = Checkpoints.everyEpoch(dir);
        checkpoints.epochEnded(g, new Checkpoints.State(1, 0, 0.5, 0), true, 1e-9);
        float[] epoch1 = g.params().toFloatVector();
        g.params().addi(1);
        checkpoints.epochEnded(g, new Checkpoints.State(2, 0, 0.5, 1), false, 1e-9);
        assertTrue(Files.isRegularFile(dir.resolve("previous.zip")), "the one before is kept while training");
        assertTrue(checkpoints.recovery().isEmpty());
        Path last = dir.resolve("last.zip");
        byte[] whole = Files.readAllBytes(last);
        Files.write(last, Arrays.copyOf(whole, whole.length - 100)); // cut by a full disk or a half copy

        Checkpoints reopened = Checkpoints.everyEpoch(dir);
        assertEquals(new Checkpoints.State(1, 0, 0.5, 0), reopened.state().orElseThrow());
        String recovery = reopened.recovery().orElseThrow();
        assertTrue(recovery.startsWith("checkpoint " + last + " is damaged ("), recovery);
        assertTrue(recovery.endsWith("resuming from the one before it, " + dir.resolve("previous.zip")
                + " (after epoch 1)"), recovery);
        assertArrayEquals(epoch1, reopened.restoreLast().params().toFloatVector());

        reopened.finished();
        assertFalse(Files.exists(dir.resolve("previous.zip")), "a finished run keeps only last.zip");
        IllegalStateException e = assertThrows(IllegalStateException.class, reopened::state);
        assertTrue(e.getMessage().endsWith(": delete " + dir + " to start the run afresh"), e.getMessage());
    }

    @Test
    void everyEpochWritesEveryEpoch() {
        ComputationGraph g = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        Checkpoints checkpoints = Checkpoints.everyEpoch(dir);
        for (int e = 1; e <= 3; e++) {
            checkpoints.epochEnded(g, new Checkpoints.State(e, 0, 0.5, e - 1), e == 1, 1e-9);
            assertEquals(e, checkpoints.state().orElseThrow().completedEpochs());
            g.params().addi(1);
        }
        assertArrayEquals(g.params().subi(3).toFloatVector(),
                checkpoints.restoreBest().orElseThrow().params().toFloatVector(), 1e-5f, "epoch 1 was the best");
    }
}
