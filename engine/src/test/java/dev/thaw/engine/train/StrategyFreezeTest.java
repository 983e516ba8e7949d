package dev.thaw.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Every strategy, trained for real on a few images: layers frozen throughout keep bit-identical weights (BatchNorm
 * running statistics included, which only change when a BN layer runs in training mode), and every layer that was
 * trainable at some point has changed.
 */
class StrategyFreezeTest {

    private static final List<String> LAYERS = List.of("block1_conv", "block1_bn", "block2_conv", "block2_bn",
            "block3_conv", "block3_bn", "fc", "output");

    private static Map<String, INDArray> snapshot(ComputationGraph g) {
        Map<String, INDArray> m = new HashMap<>();
        for (String l : LAYERS) {
            m.put(l, g.getLayer(l).params().dup());
        }
        return m;
    }

    @ParameterizedTest(name = "{0}, {1} epochs, cache {2}")
    @CsvSource(delimiter = ';', value = {
            "head; 2; true; block1_conv block1_bn block2_conv block2_bn block3_conv block3_bn fc",
            "head; 2; false; block1_conv block1_bn block2_conv block2_bn block3_conv block3_bn fc",
            "freeze:block2; 2; true; block1_conv block1_bn block2_conv block2_bn",
            "freeze:1; 1; false; block1_conv block1_bn",
            "full; 2; true; ",
            "two-phase:1; 2; true; ",
            "two-phase:1:block2; 2; true; block1_conv block1_bn block2_conv block2_bn",
            "gradual; 2; true; block1_conv block1_bn block2_conv block2_bn block3_conv block3_bn",
            "discriminative; 2; true; "})
    void frozenLayersStayBitIdenticalAndTrainableOnesChange(String strategy, int epochs, boolean cache,
                                                           String frozenList) {
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        Map<String, INDArray> before = snapshot(master);
        Trainer trainer = new Trainer(TinyData.SMALL, TinyData.settings(strategy, epochs, 1e-2, cache),
                TinyData.pipeline(TinyData.splits(240, 0)), new FeatureCache(null), cache ? TinyData.key() : null,
                null, List.of());
        Trainer.Result result = trainer.fit(master, List.of());
        Set<String> frozen = frozenList == null ? Set.of() : Set.of(frozenList.trim().split("\\s+"));
        Map<String, INDArray> after = snapshot(result.model());
        for (String layer : LAYERS) {
            if (frozen.contains(layer)) {
                assertEquals(before.get(layer), after.get(layer), layer + " frozen under " + strategy);
            } else {
                assertNotEquals(before.get(layer), after.get(layer), layer + " trained under " + strategy);
            }
        }
        assertEquals(epochs, result.history().size());
        assertTrue(result.history().stream().allMatch(m -> m.valAccuracy() >= 0 && m.valAccuracy() <= 1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"full", "two-phase:1", "freeze:block1"})
    void frozenBatchNormKeepsEveryStatisticWhileTheLayersAroundItTrain(String strategy) {
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        Map<String, INDArray> before = snapshot(master);
        Trainer.Result result = new Trainer(TinyData.SMALL,
                TinyData.settings(strategy, 2, 1e-2, true, BatchNormMode.FROZEN),
                TinyData.pipeline(TinyData.splits(240, 0)), new FeatureCache(null), TinyData.key(), null, List.of())
                .fit(master, List.of());
        Map<String, INDArray> after = snapshot(result.model());
        for (String layer : LAYERS) {
            boolean behindFreezePoint = strategy.equals("freeze:block1") && layer.startsWith("block1");
            if (layer.endsWith("_bn") || behindFreezePoint) {
                assertEquals(before.get(layer), after.get(layer), layer + ": frozen under " + strategy);
            } else {
                assertNotEquals(before.get(layer), after.get(layer), layer + " trained under " + strategy);
            }
        }
    }

    private static final Backbone RESNET = Backbones.get("resnet50");

    @Test
    void batchNormIsFrozenForPretrainedWeightsOnFewLabelsAndTrainsOtherwise() {
        assertEquals(BatchNormMode.FROZEN, BatchNormMode.parse("auto", true, 20, RESNET));
        assertEquals(BatchNormMode.TRAIN, BatchNormMode.parse("auto", true, 50, RESNET),
                "enough images to adapt them");
        assertEquals(BatchNormMode.TRAIN, BatchNormMode.parse("auto", false, 20, RESNET),
                "random statistics mean nothing");
        assertEquals(BatchNormMode.TRAIN, BatchNormMode.parse("train", true, 20, RESNET));
        assertEquals(BatchNormMode.FROZEN, BatchNormMode.parse("frozen", true, 1000, RESNET));
        assertEquals(BatchNormMode.FROZEN, BatchNormMode.parse(null, true, 20, RESNET),
                "runs saved before the option: auto");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormMode.parse("eval", true, 20, RESNET));
        assertTrue(e.getMessage().contains("--batchnorm eval"), e.getMessage());
        assertEquals(BatchNormMode.TRAIN, BatchNormMode.parse("auto", true, 20, Backbones.get("smallcnn")),
                "smallcnn's statistics must adapt to new classes");
    }

    @Test
    void discriminativeRatesDecayTowardTheInput() {
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        Phase phase = new Phase(0, 1, dev.thaw.zoo.FreezePoint.NONE, 1, 0.5);
        ComputationGraph g = PhaseGraphs.build(master, TinyData.SMALL, phase,
                new Optimizer("adam", new LearningRate(1e-2, "constant"), 0), BatchNormMode.TRAIN,
                new PhaseGraphs.Clock(1, 10, 0), 1);
        double head = lr(g, "output");
        assertEquals(1e-2, head, 1e-12);
        assertEquals(1e-2 * 0.5, lr(g, "fc"), 1e-12);
        assertEquals(1e-2 * 0.25, lr(g, "block3_conv"), 1e-12);
        assertEquals(1e-2 * 0.0625, lr(g, "block1_bn"), 1e-12);
        assertEquals(dev.thaw.zoo.ConvCache.DEFAULT, g.getConfiguration().getCacheMode(),
                "the graph a phase trains keeps conv pre-activations for backprop");
    }

    @Test
    void aNewHeadLearnsTenTimesFasterThanTheLayersFineTunedBelowIt() {
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        var points = TinyData.SMALL.freezePoints();
        Optimizer adam = new Optimizer("adam", new LearningRate(1e-4, "constant"), 0);
        for (String strategy : List.of("full", "freeze:block2")) {
            Phase phase = Strategy.parse(strategy).phases(3, points).get(0);
            ComputationGraph g = PhaseGraphs.build(master, TinyData.SMALL, phase, adam, BatchNormMode.TRAIN,
                    new PhaseGraphs.Clock(3, 10, 0), 1);
            assertEquals(1e-3, lr(g, "output"), 1e-12, strategy + ": the head");
            assertEquals(1e-4, lr(g, "block3_conv"), 1e-12, strategy + ": the backbone");
        }
        Phase headOnly = Strategy.parse("head").phases(3, points).get(0);
        assertEquals(1e-4, lr(PhaseGraphs.build(master, TinyData.SMALL, headOnly, adam, BatchNormMode.TRAIN,
                new PhaseGraphs.Clock(3, 10, 0), 1), "output"), 1e-12, "a head training alone keeps --lr");
        Phase second = Strategy.parse("two-phase:1").phases(3, points).get(1);
        assertEquals(1e-5, second.lrScale() * 1e-4, 1e-15);
        assertEquals(1e-4, lr(PhaseGraphs.build(master, TinyData.SMALL, second, adam, BatchNormMode.TRAIN,
                new PhaseGraphs.Clock(3, 10, 0), 1), "output"), 1e-12, "two-phase keeps the head's first rate");
    }

    @Test
    void aConvergingHeadTrainsAtTheBaseRateAndTheScheduleSpansTheEpochsAfterIt() {
        ComputationGraph master = TinyData.SMALL.build(TinyData.SHAPE, 3, 5);
        List<Phase> phases = Strategy.parse("two-phase").phases(4, TinyData.SMALL.freezePoints());
        PhaseGraphs.Clock clock = PhaseGraphs.Clock.of(phases, 10);
        assertEquals(new PhaseGraphs.Clock(4, 10, Strategy.TwoPhase.MAX_HEAD_EPOCHS), clock);
        Optimizer cosine = new Optimizer("adam", new LearningRate(1e-3, "cosine"), 0);
        Adam head = adam(PhaseGraphs.build(master, TinyData.SMALL, phases.get(0), cosine, BatchNormMode.TRAIN,
                clock, 1), "output");
        assertEquals(null, head.getLearningRateSchedule(), "the converging head: no schedule (its length is open)");
        assertEquals(1e-3, head.getLearningRate(), 1e-12);
        Adam body = adam(PhaseGraphs.build(master, TinyData.SMALL, phases.get(1), cosine, BatchNormMode.TRAIN,
                clock, 1), "block3_conv");
        assertEquals(1e-4, body.getLearningRateSchedule().valueAt(0, 0), 1e-12,
                "the body starts at the top of the cosine, not " + Strategy.TwoPhase.MAX_HEAD_EPOCHS + " epochs in");
        assertEquals(0, body.getLearningRateSchedule().valueAt(40, 4), 1e-12, "and reaches 0 at the run's end");
    }

    @Test
    void fromRandomWeightsHeadAndBodyShareOneRate() {
        var points = TinyData.SMALL.freezePoints();
        Optimizer adam = new Optimizer("adam", new LearningRate(1e-3, "constant"), 0);
        for (boolean pretrained : List.of(true, false)) {
            TrainSettings settings = new TrainSettings(Strategy.parse("full"), adam, 3, 1, 0, false,
                    BatchNormMode.TRAIN, pretrained);
            assertEquals(pretrained ? Phase.HEAD_LR_FACTOR : 1, settings.phases(points).get(0).headLrFactor(),
                    pretrained ? "a new head on a pretrained body: 10x" : "scratch: one rate, as PyTorch's");
        }
    }

    private static double lr(ComputationGraph g, String layer) {
        return adam(g, layer).getLearningRate();
    }

    private static Adam adam(ComputationGraph g, String layer) {
        return (Adam) ((BaseLayer) g.getLayer(layer).conf().getLayer()).getIUpdater();
    }

    @Test
    void phasesOfEachStrategy() {
        var points = TinyData.SMALL.freezePoints();
        assertEquals(List.of("fc", "none"), Strategy.parse("two-phase:2").phases(5, points).stream()
                .map(p -> p.frozen().name()).toList());
        assertEquals(List.of("fc", "block3", "block2", "block1", "none"), Strategy.parse("gradual").phases(6, points)
                .stream().map(p -> p.frozen().name()).toList());
        assertEquals(2, Strategy.parse("gradual").phases(6, points).get(4).epochs(), "last phase takes the rest");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategy.parse("freeze:block9").phases(3, points));
        assertTrue(e.getMessage().contains("block1 (1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategy.parse("thaw-all"));
        assertTrue(e.getMessage().contains("two-phase"), e.getMessage());
    }
}
