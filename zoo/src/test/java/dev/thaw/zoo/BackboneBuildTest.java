package dev.thaw.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BackboneBuildTest {

    /** Builds the graph and runs one image through it: a graph that builds but cannot run is no use. */
    private static void assertRuns(String name, int size, int classes) {
        Backbone backbone = Backbones.get(name);
        InputShape shape = InputShape.rgb(size);
        ComputationGraph graph = backbone.build(shape, classes, 7);
        INDArray image = backbone.normalization().apply(Nd4j.rand(new int[] {1, 3, size, size}).muli(255));
        INDArray out = graph.outputSingle(image);
        assertArrayEquals(new long[] {1, classes}, out.shape(), name + " at " + size + " px");
        assertEquals(1.0, out.sumNumber().doubleValue(), 1e-3, "softmax output sums to 1");
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @CsvSource({"smallcnn, 16", "smallcnn, 32", "smallcnn, 64", "vgg16, 32", "vgg16, 64", "resnet50, 32",
            "resnet50, 64", "vgg16-tv, 32", "vgg16-tv, 100"})
    void buildsAndRunsAtSmallInputs(String name, int size) {
        assertRuns(name, size, 5);
    }

    @Test
    void resNet50BuildsAndRunsAtItsNativeSize() {
        assertRuns("resnet50", 224, 3);
    }

    @Test
    void vgg16BuildsAndRunsAtItsNativeSize() {
        assertRuns("vgg16", 224, 3);
    }

    @Test
    void tooSmallInputNamesTheMinimum() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backbones.get("vgg16").build(InputShape.rgb(24), 5, 1));
        assertTrue(e.getMessage().contains("at least 32x32"), e.getMessage());
    }

    @Test
    void unknownBackboneListsTheCatalog() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backbones.get("alexnet"));
        assertTrue(e.getMessage().contains("smallcnn") && e.getMessage().contains("resnet50"), e.getMessage());
    }

    @Test
    void sameSeedSameWeights() {
        Backbone b = Backbones.get("smallcnn");
        assertEquals(b.build(InputShape.rgb(32), 3, 11).params(), b.build(InputShape.rgb(32), 3, 11).params());
    }
}
