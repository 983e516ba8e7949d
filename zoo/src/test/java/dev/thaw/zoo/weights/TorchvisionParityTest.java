package dev.thaw.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.FreezePoint;
import dev.thaw.zoo.FrozenBatchNorm;
import dev.thaw.zoo.InputShape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The same torchvision weights and batch in PyTorch and in Thaw's DL4J build: every stage's output in inference
 * mode and in training mode (BatchNorm on batch statistics), the loss, and what one SGD step changes (gradients
 * and BatchNorm's running statistics), all within float tolerance. The reference comes from PyTorch itself
 * ({@link TorchReference}), run on the same machine.
 */
class TorchvisionParityTest {

    /** Per stage and at the probabilities: the bar for float32 on two libraries' kernels. */
    private static final double FORWARD_TOLERANCE = 1e-4;

    /**
     * Where PyTorch's own float32 result is further than that from the float64 answer (training mode on small
     * batches is ill-conditioned), DL4J may be this many times as far.
     */
    private static final double FLOAT32_MARGIN = 3;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} at {1} px, batch {2}")
    @CsvSource({"resnet18, 32, 4", "resnet18, 64, 4", "resnet50-tv, 32, 4", "resnet50-tv, 64, 4", "vgg16-tv, 32, 4",
            "vgg16-tv, 64, 4"})
    void sameOutputsAndSameStepAsPyTorch(String model, int size, int batch) throws Exception {
        TorchReference ref = TorchReference.generate(model, size, batch, dir);
        Backbone backbone = Backbones.get(model);
        InputShape input = InputShape.rgb(size);
        LoadedModel loaded = new TorchvisionWeights(ref.file("model.pth")).load(backbone, input, 10, 1, true);
        assertEquals(List.of(), loaded.reinitialized(), "a 10-class file fills a 10-class graph, head included");
        ComputationGraph graph = withoutDropout(loaded.graph());
        INDArray x = ref.array("input");

        for (boolean training : new boolean[] {false, true}) {
            Map<String, INDArray> acts = graph.feedForward(x, training);
            String mode = training ? "train." : "eval.";
            for (Map.Entry<String, String> stage : stages(backbone, graph).entrySet()) {
                double d = TorchReference.relativeDifference(acts.get(stage.getValue()),
                        ref.array(mode + stage.getKey()));
                double bar = Math.max(FORWARD_TOLERANCE, FLOAT32_MARGIN * ref.err32(mode + stage.getKey()));
                System.out.printf("%s %dpx %s%-9s rel diff %.2e (PyTorch float32 %.2e)%n", model, size, mode,
                        stage.getKey(), d, ref.err32(mode + stage.getKey()));
                assertTrue(d <= bar, model + " " + mode + stage.getKey() + " differs by " + d);
            }
        }

        ComputationGraph stepped = oneSgdStep(graph, x, ref.array("labels"), 0.1);
        double loss = ref.array("train.loss").getDouble(0);
        System.out.printf("%s %dpx loss DL4J %.6f PyTorch %.6f%n", model, size, stepped.score(), loss);
        assertEquals(loss, stepped.score(), Math.max(1e-4, FLOAT32_MARGIN * ref.err32("train.probs")) * loss,
                "loss before the step");

        ComputationGraph before = withHead(ref.file("model.pth"), backbone, input);
        ComputationGraph torchStepped = withHead(ref.file("stepped.pth"), backbone, input);
        List<String> failures = stepDifferences(before, stepped, torchStepped, ref, "step",
                model + " " + size + "px");
        assertEquals(List.of(), failures, "parameter changes of one SGD step (gradients, running means) differ "
                + "from PyTorch's float64 answer by more than PyTorch's own float32 result does");
    }

    /**
     * Thaw's {@link FrozenBatchNorm} against PyTorch with every BatchNorm in eval mode and its scale and shift fixed
     * (torchvision's {@code FrozenBatchNorm2d}): in training mode the graph computes exactly its inference-mode
     * stages, one SGD step changes the other parameters as PyTorch's does, and no BatchNorm parameter moves.
     */
    @ParameterizedTest(name = "{0} at {1} px")
    @CsvSource({"resnet18, 32", "resnet50-tv, 32"})
    void frozenBatchNormTrainsAsPyTorchWithBatchNormInEvalMode(String model, int size) throws Exception {
        TorchReference ref = TorchReference.generate(model, size, 4, dir);
        Backbone backbone = Backbones.get(model);
        InputShape input = InputShape.rgb(size);
        ComputationGraph before = withHead(ref.file("model.pth"), backbone, input);
        ComputationGraph frozen = FrozenBatchNorm.freezeAll(before);
        INDArray x = ref.array("input");

        Map<String, INDArray> acts = frozen.feedForward(x, true);
        for (Map.Entry<String, String> stage : stages(backbone, frozen).entrySet()) {
            double d = TorchReference.relativeDifference(acts.get(stage.getValue()), ref.array("eval." + stage.getKey()));
            assertTrue(d <= FORWARD_TOLERANCE, model + " training-mode " + stage.getKey() + " differs from "
                    + "PyTorch's inference-mode output by " + d);
        }

        ComputationGraph stepped = oneSgdStep(frozen, x, ref.array("labels"), 0.1);
        double loss = ref.array("frozen-bn.loss").getDouble(0);
        System.out.printf("%s %dpx frozen BatchNorm: loss DL4J %.6f PyTorch %.6f%n", model, size, stepped.score(),
                loss);
        assertEquals(loss, stepped.score(), 1e-4 * loss, "loss before the step");
        ComputationGraph torchStepped = withHead(ref.file("stepped-frozen-bn.pth"), backbone, input);
        assertEquals(List.of(), stepDifferences(before, stepped, torchStepped, ref, "frozen-bn",
                model + " " + size + "px frozen BatchNorm"), "parameter changes of one SGD step");
        for (GraphVertex v : before.getVertices()) {
            if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof BatchNormalization) {
                assertEquals(v.getLayer().params(), stepped.getLayer(v.getVertexName()).params(),
                        v.getVertexName() + ": a frozen BatchNorm's parameters and statistics never change");
            }
        }
    }

    /** The file's whole model, its 10-class head included (not what a transfer does: it starts a new head). */
    private static ComputationGraph withHead(Path file, Backbone backbone, InputShape input) {
        return new TorchvisionWeights(file).load(backbone, input, 10, 1, true).graph();
    }

    /** Torchvision stage names and the vertex that produces each. */
    private static Map<String, String> stages(Backbone backbone, ComputationGraph graph) {
        Map<String, String> out = new LinkedHashMap<>();
        if (graph.getVertex("conv1") != null) { // the ResNets' first convolution, before its BatchNorm
            out.put("conv1", "conv1");
        }
        for (FreezePoint p : backbone.freezePoints().list()) {
            out.put(p.name(), p.vertex());
        }
        out.put("features", "avgpool");
        out.put("probs", backbone.outputVertex());
        return out;
    }

    /**
     * The graph with dropout off (VGG16's dense layers), as the reference script has it, so that training mode is
     * the same deterministic function on both sides.
     */
    private static ComputationGraph withoutDropout(ComputationGraph graph) {
        return new TransferLearning.GraphBuilder(graph)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().dropout(null).build()).build();
    }

    static ComputationGraph oneSgdStep(ComputationGraph graph, INDArray x, INDArray labels, double lr) {
        ComputationGraph g = new TransferLearning.GraphBuilder(graph)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(lr)).build()).build();
        INDArray y = Nd4j.zeros(x.size(0), 10);
        for (int i = 0; i < x.size(0); i++) {
            y.putScalar(i, labels.getInt(i), 1.0);
        }
        g.fit(new DataSet(x, y));
        return g;
    }

    /**
     * Compares, parameter by parameter, the change DL4J's step made with the change PyTorch's float64 step made;
     * returns the parameters whose difference exceeds {@link #FLOAT32_MARGIN} times PyTorch's own float32 error
     * (at least 1e-3). Prints the worst per DL4J parameter kind. Running variances are printed, not checked: DL4J
     * updates them with the biased batch variance, PyTorch with the unbiased one (a known difference of n/(n-1),
     * n = batch × height × width per channel; see benchmarks/results/parity.md).
     */
    private static List<String> stepDifferences(ComputationGraph before, ComputationGraph dl4j, ComputationGraph torch,
                                                TorchReference ref, String step, String what) {
        Map<String, Double> worst = new LinkedHashMap<>();
        List<String> failures = new java.util.ArrayList<>();
        for (GraphVertex v : before.getVertices()) {
            if (!v.hasLayer() || v.getLayer().numParams() == 0) {
                continue;
            }
            Layer b = v.getLayer();
            for (String param : b.paramTable().keySet()) {
                INDArray start = b.paramTable().get(param);
                INDArray ours = dl4j.getLayer(v.getVertexName()).paramTable().get(param).sub(start);
                INDArray theirs = torch.getLayer(v.getVertexName()).paramTable().get(param).sub(start);
                if (theirs.amaxNumber().doubleValue() == 0) {
                    continue;
                }
                double d = TorchReference.relativeDifference(ours, theirs);
                worst.merge(param, d, Math::max);
                String key = v.getVertexName() + "." + TORCH_NAMES.get(param);
                if (!param.equals("var") && d > Math.max(1e-3, FLOAT32_MARGIN * ref.err32(step + "." + key))) {
                    failures.add(String.format("%s: %.2e (PyTorch float32 %.2e)", key, d, ref.err32(step + "." + key)));
                }
            }
        }
        System.out.printf("%s step: worst relative difference of the change per parameter kind %s%n", what, worst);
        return failures;
    }

    private static final Map<String, String> TORCH_NAMES = Map.of("W", "weight", "b", "bias", "gamma", "weight",
            "beta", "bias", "mean", "running_mean", "var", "running_var");
}
