package dev.thaw.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.InputShape;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Loads a Keras HDF5 file (written by {@code src/test/keras/make_smallcnn_h5.py} in Keras' own layout) into the
 * small backbone. Keras names its layers differently from any DL4J zoo graph in general, and the biases in the
 * file are known ramps, so the test can tell whether each value landed in the right layer.
 */
class KerasWeightsTest {

    private static final Backbone SMALL = Backbones.get("smallcnn");

    @TempDir
    Path dir;

    private static Path fixture() throws URISyntaxException {
        return Path.of(KerasWeightsTest.class.getResource("/keras/smallcnn-functional.h5").toURI());
    }

    private static INDArray ramp(int n, double step) {
        return Nd4j.arange(n).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).muli(step).reshape(1, n);
    }

    @Test
    void kerasWeightsLandInTheMatchingLayers() throws Exception {
        LoadedModel loaded = WeightSource.parse(fixture().toString()).load(SMALL, InputShape.rgb(32), 4, 1);
        assertEquals(List.of("output"), loaded.reinitialized(), "the output layer always starts anew");
        var g = loaded.graph();
        assertEquals(ramp(64, 0.01), g.getLayer("block2_conv").getParam("b").reshape(1, 64));
        assertEquals(ramp(128, 0.003), g.getLayer("block3_bn").getParam("mean").reshape(1, 128));
        assertEquals(0, g.getLayer("output").params().amaxNumber().doubleValue());
        // Keras stores the running variance; the DL4J graph keeps log10(std) = 0.5 * log10(var).
        INDArray expectedLogStd = Transforms.log(ramp(32, 0.004).addi(1), 10, true).muli(0.5);
        assertTrue(expectedLogStd.equalsWithEps(g.getLayer("block1_bn").getParam("log10stdev").reshape(1, 32), 1e-6));
        assertTrue(loaded.fingerprint().startsWith("sha256:"));
    }

    @Test
    void anotherClassCountKeepsTheKerasBody() throws Exception {
        LoadedModel loaded = WeightSource.parse("keras:" + fixture()).load(SMALL, InputShape.rgb(32), 9, 1);
        assertEquals(List.of("output"), loaded.reinitialized());
        assertEquals(ramp(128, 0.01), loaded.graph().getLayer("fc").getParam("b").reshape(1, 128));
    }

    @Test
    void kerasFileOfAnotherArchitectureIsRejected() throws Exception {
        WeightsException e = assertThrows(WeightsException.class, () ->
                WeightSource.parse(fixture().toString()).load(Backbones.get("vgg16"), InputShape.rgb(32), 4, 1));
        assertTrue(e.getMessage().contains("does not fit backbone vgg16"), e.getMessage());
    }

    @Test
    void notAnHdf5FileSaysHowToSaveOne() throws IOException {
        Path bad = dir.resolve("model.h5");
        Files.writeString(bad, "not hdf5");
        WeightsException e = assertThrows(WeightsException.class,
                () -> WeightSource.parse(bad.toString()).load(SMALL, InputShape.rgb(32), 4, 1));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("model.save"), e.getMessage());
    }
}
