package dev.thaw.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.InputShape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The {@code torchvision:} weight source and its .pth reader on good, foreign and hostile files. */
class TorchvisionWeightsTest {

    @TempDir
    Path dir;

    /** A zip laid out as torch.save writes it, holding {@code pickle} as data.pkl. */
    private Path pth(String name, byte[] pickle) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        return file;
    }

    @Test
    void refusesAPickleThatNamesAnyOtherGlobal() throws IOException {
        // protocol 0: os.system('touch PWNED'), what a hostile .pth would run on a plain unpickler
        Path evil = pth("evil.pth", "cos\nsystem\n(S'touch PWNED'\ntR.".getBytes(StandardCharsets.ISO_8859_1));
        WeightsException e = assertThrows(WeightsException.class, () -> StateDict.read(evil));
        assertTrue(e.getMessage().contains("os.system") && e.getMessage().contains("state_dict()"), e.getMessage());
        assertTrue(Files.notExists(Path.of("PWNED")));
    }

    @Test
    void refusesAPickleThatIsNotADictOfTensors() throws IOException {
        Path list = pth("list.pth", "(lp0\nI1\naI2\na.".getBytes(StandardCharsets.ISO_8859_1)); // [1, 2]
        WeightsException e = assertThrows(WeightsException.class, () -> StateDict.read(list));
        assertTrue(e.getMessage().contains("does not hold a state_dict"), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotAZipNamingTheFormat() throws IOException {
        Path legacy = dir.resolve("legacy.pth");
        try (OutputStream out = Files.newOutputStream(legacy)) {
            out.write(new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10}); // the legacy format's magic-number start
        }
        WeightsException e = assertThrows(WeightsException.class, () -> StateDict.read(legacy));
        assertTrue(e.getMessage().contains("zip format"), e.getMessage());
    }

    @Test
    void refusesBackbonesNotInTorchvisionLayout() {
        WeightsException e = assertThrows(WeightsException.class, () -> new TorchvisionWeights(dir.resolve("x.pth"))
                .load(Backbones.get("resnet50"), InputShape.rgb(32), 5, 1));
        assertTrue(e.getMessage().contains("resnet50-tv"), e.getMessage());
    }

    @Test
    void parsesTheWeightsFlag() {
        assertEquals("torchvision:a/b.pth", WeightSource.parse("torchvision:a/b.pth").describe());
        assertEquals("torchvision:b.pth", WeightSource.parse("b.pth").describe());
    }

    /** Runs without PyTorch: the committed file made by {@code src/test/python/statedict_fixture.py}. */
    @Test
    void readsEveryStorageTypeOfTheCommittedFixture() throws Exception {
        Path file = Path.of(getClass().getResource("/torch/storages.pth").toURI());
        Map<String, StateDict.Tensor> t = StateDict.read(file).tensors();
        assertEquals(List.of("float32", "float16", "bfloat16", "float64", "int64", "strided", "offset", "scalar"),
                List.copyOf(t.keySet()), "keys in the file's order");
        for (String key : List.of("float32", "float16", "bfloat16", "float64", "int64")) {
            assertArrayEquals(new long[] {2, 3}, t.get(key).shape(), key);
        }
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.get("float32").values());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, t.get("float16").values());
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f}, t.get("bfloat16").values());
        assertArrayEquals(new float[] {0, 0.125f, 0.25f, 0.375f, 0.5f, 0.625f}, t.get("float64").values());
        assertArrayEquals(new float[] {-2, -1, 0, 1, 2, 3}, t.get("int64").values());
        assertArrayEquals(new long[] {4, 3}, t.get("strided").shape());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, t.get("strided").values(),
                "a transposed view read in its own (row-major) order");
        assertArrayEquals(new float[] {3, 4, 5, 6, 7}, t.get("offset").values(), "a view into a shared storage");
        assertArrayEquals(new long[0], t.get("scalar").shape());
        assertArrayEquals(new float[] {5}, t.get("scalar").values());
    }

    @Test
    void readsFloat16FilesAndStartsTheOutputLayerAnew() throws Exception {
        TorchReference ref = TorchReference.generate("resnet18", 32, 2, dir);
        LoadedModel transfer = new TorchvisionWeights(ref.file("model.pth"))
                .load(Backbones.get("resnet18"), InputShape.rgb(32), 10, 1);
        assertEquals(List.of("fc"), transfer.reinitialized(), "the output layer starts anew even when it would fit");
        assertEquals(0, transfer.graph().getLayer("fc").params().amaxNumber().doubleValue(), "at zero");
        ComputationGraph full = transfer.graph();
        LoadedModel half = new TorchvisionWeights(ref.file("model-half.pth"))
                .load(Backbones.get("resnet18"), InputShape.rgb(32), 3, 1);
        assertEquals(List.of("fc"), half.reinitialized(), "a 3-class head cannot take the 10-class fc");
        INDArray a = full.getLayer("layer3.1.conv2").params();
        INDArray b = half.graph().getLayer("layer3.1.conv2").params();
        double d = TorchReference.relativeDifference(b, a);
        assertTrue(d > 0 && d < 1e-3, "float16 holds about 3 decimal digits: " + d);
    }

    @Test
    void refusesAFileOfAnotherArchitectureNamingAKey() throws Exception {
        TorchReference ref = TorchReference.generate("resnet18", 32, 2, dir);
        WeightsException e = assertThrows(WeightsException.class, () -> new TorchvisionWeights(ref.file("model.pth"))
                .load(Backbones.get("resnet50-tv"), InputShape.rgb(32), 10, 1));
        assertTrue(e.getMessage().contains("layer1.0.conv1.weight") && e.getMessage().contains("--model"),
                e.getMessage());
    }
}
