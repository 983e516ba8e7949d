package dev.thaw.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

/** Schedules, early stopping and the optional dense head. */
class TrainingOptionsTest {

    @TempDir
    Path dir;

    /** PyTorch's usual rates when --lr is absent; VGG16 (no BatchNorm) needs 1e-4 from random weights. */
    @Test
    void defaultLearningRateFollowsStrategyWeightsAndBackbone() {
        Backbone resnet = Backbones.get("resnet50");
        assertEquals(1e-3, Strategy.defaultLearningRate("head", true, resnet));
        assertEquals(1e-3, Strategy.defaultLearningRate("two-phase:3", true, resnet));
        assertEquals(1e-4, Strategy.defaultLearningRate("full", true, resnet));
        assertEquals(1e-4, Strategy.defaultLearningRate("freeze:res3", true, resnet));
        assertEquals(1e-3, Strategy.defaultLearningRate("full", false, resnet));
        assertEquals(1e-4, Strategy.defaultLearningRate("full", false, Backbones.get("vgg16")));
        assertEquals(1e-4, Strategy.defaultLearningRate("full", false, Backbones.get("vgg16-tv")));
    }

    @Test
    void schedulesHaveTheirDocumentedShapes() {
        ISchedule cosine = new LearningRate(0.1, "cosine").toSchedule(1, 10, 100);
        assertEquals(0.1, cosine.valueAt(0, 0), 1e-12);
        assertEquals(0.05, cosine.valueAt(50, 5), 1e-12);
        assertEquals(0.0, cosine.valueAt(100, 9), 1e-12);
        ISchedule oneCycle = new LearningRate(0.1, "one-cycle").toSchedule(1, 10, 100);
        assertTrue(oneCycle.valueAt(0, 0) < 0.01, "starts low");
        assertEquals(0.1, oneCycle.valueAt(30, 3), 1e-9, "peak after 30 % warm-up");
        assertEquals(0.1 / 1000, oneCycle.valueAt(100, 9), 1e-9, "ends at 1/1000");
        ISchedule step = new LearningRate(0.1, "step").toSchedule(0.5, 9, 90);
        assertEquals(0.05, step.valueAt(0, 0), 1e-12);
        assertEquals(0.005, step.valueAt(40, 3), 1e-12, "x0.1 every third of the epochs");
        assertEquals(null, new LearningRate(0.1, "constant").toSchedule(1, 9, 90));
        // a phase starting at iteration 40 (epoch 4) counts its own steps from 0 but follows the run's curve
        ISchedule late = new LearningRate(0.1, "cosine").toSchedule(1, 10, 100, 40, 4);
        assertEquals(cosine.valueAt(40, 4), late.valueAt(0, 0), 1e-12);
        assertEquals(cosine.valueAt(55, 5), late.valueAt(15, 1), 1e-12);
        assertTrue(new Optimizer("sgd", new LearningRate(0.1, "cosine"), 0).build(1, 9, 90, 0, 0) instanceof Nesterovs);
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndKeepsTheBestEpoch() {
        Checkpoints checkpoints = new Checkpoints(dir.resolve("ckpt"));
        // A learning rate so small nothing improves: validation accuracy never beats epoch 1.
        TrainSettings settings = new TrainSettings(Strategy.parse("full"),
                new Optimizer("adam", new LearningRate(1e-30, "constant"), 0), 6, 3, 2, false,
                BatchNormMode.TRAIN, true);
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        Trainer.Result r = new Trainer(TinyData.SMALL, settings, TinyData.pipeline(TinyData.splits(120, 0)),
                new FeatureCache(null), null, checkpoints, List.of()).fit(master, List.of());
        assertEquals(3, r.history().size(), "epoch 1 best, then 2 without improvement: stop");
        assertTrue(r.stopReason().startsWith("early stop"), r.stopReason());
        assertEquals(0, checkpoints.state().orElseThrow().bestEpoch());
    }

    @Test
    void denseHeadWithDropoutIsAddedAfterTheDeepestFreezePointAndTrains() {
        ComputationGraph base = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        ComputationGraph withHead = Heads.denseHead(base, TinyData.SMALL, TinyData.SHAPE, 3, 16, 0.3, 5);
        assertEquals(List.of(Heads.DENSE), withHead.getConfiguration().getVertexInputs().get("output"));
        assertEquals(List.of("fc"), withHead.getConfiguration().getVertexInputs().get(Heads.DENSE));
        INDArray fcBefore = withHead.getLayer("fc").params().dup();
        INDArray headBefore = withHead.getLayer(Heads.DENSE).params().dup();
        Trainer.Result r = new Trainer(TinyData.SMALL, TinyData.settings("head", 2, 1e-2, true),
                TinyData.pipeline(TinyData.splits(120, 0)), new FeatureCache(null), TinyData.key(), null, List.of())
                .fit(withHead, List.of());
        assertEquals(fcBefore, r.model().getLayer("fc").params(), "fc is the deepest freeze point: frozen");
        assertNotEquals(headBefore, r.model().getLayer(Heads.DENSE).params(), "the new dense layer trains");
    }
}
