package dev.thaw.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.data.DataPipeline;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The range test on real images: the rate grows as asked, every learning layer keeps its ratio to the base rate
 * (the head at 10× a freeze strategy's body), the loss first falls and then blows up, and the suggestion is a tenth
 * of the rate of the lowest loss, where the loss already falls; the model handed to the trainer is left as it was.
 */
class LrRangeTestTest {

    @TempDir
    Path dir;

    @Test
    void fullTrainingLossFallsThenDivergesAndTheSuggestionIsInTheFall() {
        DataPipeline pipeline = TinyData.pipeline(TinyData.splits(300, 0));
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        float[] before = master.params().toFloatVector();
        Trainer trainer = new Trainer(TinyData.SMALL, TinyData.settings("full", 1, 1e-3, false), pipeline, null,
                null, null, List.of());
        LrRangeTest.Curve c = trainer.rangeTest(master, 1e-6, 10, 60);

        assertArrayEquals(before, master.params().toFloatVector(), "the test trains a copy");
        int n = c.rates().size();
        assertTrue(n >= 20, "took " + n + " steps");
        for (int i = 1; i < n; i++) {
            assertEquals(Math.pow(1e7, 1.0 / 59), c.rates().get(i) / c.rates().get(i - 1), 1e-9, "exponential growth");
        }
        assertEquals(1e-6, c.rates().get(0), 1e-15);
        int lowest = c.losses().indexOf(Collections.min(c.losses()));
        assertTrue(c.losses().get(lowest) < 0.8 * c.losses().get(0), "the loss falls: " + c.losses());
        assertTrue(c.diverged() || c.losses().get(n - 1) > 1.5 * c.losses().get(lowest),
                "and blows up at rates up to 10: " + c.losses());
        assertEquals(lowest, c.lowest());
        double rate = c.suggestion();
        assertEquals(c.rates().get(lowest) / 10, rate, 1e-15, "a tenth of the lowest loss's rate");
        int below = Math.max(0, (int) c.rates().stream().filter(r -> r <= rate).count() - 1);
        assertTrue(c.losses().get(below) < c.losses().get(0), "the loss already falls at the suggested rate: " + c);
        assertTrue(rate > 1e-5 && rate < 1e-1, "a usable rate for Adam on a small CNN: " + rate);
    }

    @Test
    void everyLayerGrowsFromItsOwnRateSoTheHeadStaysAtTenTimesTheBody() {
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        TrainSettings settings = TinyData.settings("freeze:block2", 1, 1, false);
        Phase phase = settings.phases(TinyData.SMALL.freezePoints()).get(0);
        ComputationGraph graph = PhaseGraphs.build(master.clone(), TinyData.SMALL, phase, settings.optimizer(),
                settings.batchNorm(), new PhaseGraphs.Clock(1, 10, 0), 3);
        LrRangeTest.growAll(graph, new LrRangeTest.Growth(1e-4, 1, 10));
        String head = TinyData.SMALL.outputVertex();
        double headAt0 = ((BaseLayer) graph.getLayer(head).conf().getLayer()).getIUpdater().getLearningRate(0, 0);
        double headAt9 = ((BaseLayer) graph.getLayer(head).conf().getLayer()).getIUpdater().getLearningRate(9, 0);
        assertEquals(1e-3, headAt0, 1e-12, "the head's factor 10 times the test's first rate");
        assertEquals(10, headAt9, 1e-9, "and its last");
        int bodyLayers = 0;
        for (var v : graph.getVertices()) {
            if (v.hasLayer() && !v.getVertexName().equals(head) && v.getLayer().numParams() > 0
                    && v.getLayer().conf().getLayer() instanceof BaseLayer b && b.getIUpdater().hasLearningRate()) {
                assertEquals(1e-4, b.getIUpdater().getLearningRate(0, 0), 1e-12, v.getVertexName());
                bodyLayers++;
            }
        }
        assertTrue(bodyLayers > 0, "block3's layers learn too");
    }
}
