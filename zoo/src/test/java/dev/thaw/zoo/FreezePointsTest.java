package dev.thaw.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FreezePointsTest {

    @Test
    void vgg16PointsAreTheBlockEndsAndDenseLayers() {
        List<FreezePoint> points = Backbones.get("vgg16").freezePoints().list();
        assertEquals(List.of("block1", "block2", "block3", "block4", "block5", "fc1", "fc2"),
                points.stream().map(FreezePoint::name).toList());
        assertEquals(List.of("2", "5", "9", "13", "17", "18", "19"), points.stream().map(FreezePoint::vertex).toList());
    }

    @Test
    void resNet50PointsAreTheStageEnds() {
        List<FreezePoint> points = Backbones.get("resnet50").freezePoints().list();
        assertEquals(List.of("stem", "res2", "res3", "res4", "res5"), points.stream().map(FreezePoint::name).toList());
        assertEquals(List.of("stem-maxpool1", "res2c_branch", "res3d_branch", "res4f_branch", "res5c_branch"),
                points.stream().map(FreezePoint::vertex).toList());
    }

    /**
     * The table must agree with what DL4J actually freezes: for each point, freeze with DL4J's own
     * {@code setFeatureExtractor} and count the parameters in frozen layers.
     */
    @ParameterizedTest
    @ValueSource(strings = {"smallcnn", "vgg16", "resnet50", "resnet18", "vgg16-tv"})
    void tableMatchesWhatDl4jFreezes(String name) {
        Backbone backbone = Backbones.get(name);
        InputShape shape = InputShape.rgb(32);
        ComputationGraph graph = backbone.build(shape, 4, 3);
        FreezeTable table = FreezeTable.of(backbone, shape, graph);
        assertEquals(backbone.freezePoints().maxDepth() + 1, table.rows().size());
        long previous = -1;
        for (FreezeTable.Row row : table.rows()) {
            assertTrue(row.frozen() > previous, "frozen params grow with depth: " + row);
            previous = row.frozen();
            assertEquals(table.totalParams(), row.frozen() + row.trainable());
            if (row.point().isNone()) {
                continue;
            }
            assertNotNull(graph.getVertex(row.point().vertex()), "vertex of " + row.point() + " exists");
            ComputationGraph frozen = new TransferLearning.GraphBuilder(graph)
                    .setFeatureExtractor(row.point().vertex()).build();
            long dl4jFrozen = 0;
            for (GraphVertex v : frozen.getVertices()) {
                if (v.hasLayer() && v.getLayer() instanceof FrozenLayer) {
                    dl4jFrozen += v.getLayer().numParams();
                }
            }
            assertEquals(dl4jFrozen, row.frozen(), "frozen parameters at " + row.point());
        }
        long outputParams = graph.getLayer(backbone.outputVertex()).numParams();
        assertEquals(outputParams, table.headParams(), "deepest point leaves only the output layer training");
    }

    @Test
    void resolvesNamesDepthsAndAliases() {
        FreezePoints points = Backbones.get("resnet50").freezePoints();
        assertEquals("res3", points.resolve("RES3").name());
        assertEquals("res3", points.resolve("3").name());
        assertEquals(FreezePoint.NONE, points.resolve("0"));
        assertEquals(FreezePoint.NONE, points.resolve("none"));
        assertEquals("res5", points.resolve("head").name());
    }

    @Test
    void unknownNameIsRejectedWithTheValidOnes() {
        UnknownFreezePointException e = assertThrows(UnknownFreezePointException.class,
                () -> Backbones.get("vgg16").freezePoints().resolve("block9"));
        assertTrue(e.getMessage().contains("'block9'"), e.getMessage());
        assertTrue(e.getMessage().contains("block1 (1)") && e.getMessage().contains("fc2 (7)"), e.getMessage());
    }

    @Test
    void outOfRangeDepthIsRejectedWithTheRange() {
        FreezePoints points = Backbones.get("resnet50").freezePoints();
        for (String bad : List.of("6", "-1")) {
            UnknownFreezePointException e = assertThrows(UnknownFreezePointException.class, () -> points.resolve(bad));
            assertTrue(e.getMessage().contains("0 (nothing frozen) to 5"), e.getMessage());
        }
    }

    /**
     * Trainable parameters as PyTorch counts them ({@code requires_grad}): torchvision's resnet50 with a 5-class
     * head has 23,518,277, and 23,465,157 with every BatchNorm frozen (the peer's counts in
     * benchmarks/results/fmnist-ab-resnet50-tv-vs-pytorch). DL4J's graph holds 53,120 more: the running statistics.
     */
    @Test
    void trainableParamsCountWhatGradientDescentChanges() {
        GraphParts parts = new GraphParts(Backbones.get("resnet50-tv").build(InputShape.rgb(32), 5, 1));
        assertEquals(23_518_277L + 53_120L, parts.totalParams());
        assertEquals(23_518_277L, parts.trainableParams(FreezePoint.NONE, true));
        assertEquals(23_465_157L, parts.trainableParams(FreezePoint.NONE, false));
        assertEquals(2048L * 5 + 5, parts.trainableParams(Backbones.get("resnet50-tv").freezePoints().resolve("head"),
                true));
    }
}
