package dev.thaw.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.InputShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileWeightsTest {

    private static final Backbone SMALL = Backbones.get("smallcnn");
    private static final InputShape INPUT = InputShape.rgb(32);

    @TempDir
    Path dir;

    private Path savedSmallCnn(int classes) {
        ComputationGraph g = SMALL.build(INPUT, classes, 99);
        Path file = dir.resolve("pretrained.zip");
        ThawModelFile.save(g, new ThawModelFile.Info("smallcnn", INPUT.toString(), List.of("a", "b", "c"),
                Map.of("note", "test")), file, false);
        return file;
    }

    @Test
    void thawModelRoundTripsEveryWeightButTheSourceTasksHead() {
        Path file = savedSmallCnn(3);
        ComputationGraph original = ThawModelFile.restore(file, false);
        LoadedModel loaded = WeightSource.parse("thaw:" + file).load(SMALL, INPUT, 3, 1);
        SameWeights.exceptFreshOutput(original, loaded.graph(), "output");
        assertEquals(List.of("output"), loaded.reinitialized(), "same class count, but the head is the source task's");
        assertTrue(loaded.fingerprint().startsWith("sha256:"), loaded.fingerprint());
        assertEquals(List.of("a", "b", "c"), ThawModelFile.readInfo(file).orElseThrow().labels());
    }

    @Test
    void newClassCountKeepsTheBodyAndReinitialisesTheHead() {
        Path file = savedSmallCnn(3);
        ComputationGraph original = ThawModelFile.restore(file, false);
        LoadedModel loaded = WeightSource.parse(file.toString()).load(SMALL, INPUT, 7, 1);
        assertEquals(List.of("output"), loaded.reinitialized());
        for (String v : List.of("block1_conv", "block2_bn", "block3_conv", "fc")) {
            assertEquals(original.getLayer(v).params(), loaded.graph().getLayer(v).params(), v);
        }
        assertEquals(7, loaded.graph().getLayer("output").getParam("b").length());
    }

    @Test
    void plainDl4jZipLoadsAsDl4jButNotAsThaw() throws IOException {
        Path file = dir.resolve("plain.zip");
        ModelSerializer.writeModel(SMALL.build(INPUT, 3, 5), file.toFile(), false);
        assertEquals(List.of("output"), WeightSource.parse("dl4j:" + file).load(SMALL, INPUT, 3, 1).reinitialized());
        WeightsException e = assertThrows(WeightsException.class,
                () -> WeightSource.parse("thaw:" + file).load(SMALL, INPUT, 3, 1));
        assertTrue(e.getMessage().contains("not saved by Thaw"), e.getMessage());
    }

    @Test
    void thawModelOfAnotherBackboneIsRejectedByName() {
        Path file = savedSmallCnn(3);
        WeightsException e = assertThrows(WeightsException.class,
                () -> WeightSource.parse("thaw:" + file).load(Backbones.get("vgg16"), INPUT, 3, 1));
        assertTrue(e.getMessage().contains("holds a smallcnn model, not vgg16"), e.getMessage());
        assertTrue(e.getMessage().contains("--model smallcnn"), e.getMessage());
    }

    @Test
    void plainZipOfAnotherArchitectureIsRejectedWithoutAStackTraceDump() throws IOException {
        Path file = dir.resolve("small-as-vgg.zip");
        ModelSerializer.writeModel(SMALL.build(INPUT, 3, 5), file.toFile(), false);
        WeightsException e = assertThrows(WeightsException.class,
                () -> WeightSource.parse(file.toString()).load(Backbones.get("vgg16"), INPUT, 3, 1));
        assertTrue(e.getMessage().contains("does not fit backbone vgg16"), e.getMessage());
    }

    @Test
    void truncatedZipIsReportedAsCorrupt() throws IOException {
        Path good = savedSmallCnn(3);
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("truncated.zip");
        Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));
        WeightsException e = assertThrows(WeightsException.class,
                () -> WeightSource.parse(bad.toString()).load(SMALL, INPUT, 3, 1));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("truncated or corrupt"),
                e.getMessage());
    }

    @Test
    void garbageFileIsReportedAsCorrupt() throws IOException {
        Path bad = dir.resolve("noise.zip");
        Files.writeString(bad, "this is not a zip");
        WeightsException e = assertThrows(WeightsException.class,
                () -> WeightSource.parse(bad.toString()).load(SMALL, INPUT, 3, 1));
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }

    @Test
    void missingFileSaysSo() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> WeightSource.parse(dir.resolve("nope.zip").toString()).load(SMALL, INPUT, 3, 1));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void randomWeightsFollowTheSeed() {
        LoadedModel a = WeightSource.parse("random").load(SMALL, INPUT, 3, 1);
        LoadedModel b = WeightSource.parse("random").load(SMALL, INPUT, 3, 2);
        assertNotEquals(a.graph().params(), b.graph().params());
        assertNotEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void unknownSpecListsTheForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightSource.parse("weights.bin"));
        assertTrue(e.getMessage().contains("imagenet") && e.getMessage().contains("thaw:PATH"), e.getMessage());
    }
}
